package dev.clgrad.it;

import dev.clgrad.Device;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.stream.Stream;

/**
 * Runs device-parameterized tests with the device under test as the default device, and
 * restores the previous default afterwards ({@code @ExtendWith(OnDevice.class)}).
 */
final class OnDevice implements AfterEachCallback {
    private static final Device ORIGINAL = Device.getDefault();

    /** The devices, as a JUnit method source. */
    static Stream<Device> devices() {
        return TestDevices.all().stream();
    }

    /** Makes {@code d} the default device for the rest of the test. */
    static Device use(Device d) {
        Device.setDefault(d);
        return d;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Device.setDefault(ORIGINAL);
    }
}
