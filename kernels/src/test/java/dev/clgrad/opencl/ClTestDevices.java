package dev.clgrad.opencl;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.BackendProvider;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Opens the OpenCL devices for a test: none is a skip, or a failure under {@code -Dclgrad.requireOpenCL=true}. */
final class ClTestDevices {
    private static final String REQUIRE_OPENCL = "clgrad.requireOpenCL";

    private ClTestDevices() {
    }

    /**
     * Every OpenCL device, each with its own backend and the given program cache folder (null: none).
     *
     * @param untested what goes untested when there is no device, for the message
     */
    static List<Backend> open(Path cacheDir, String untested) {
        BackendProvider.Discovery found = ClBackendProvider.discover(null, cacheDir);
        if (found.backends().isEmpty()) {
            String reason = "no OpenCL device, so " + untested + " is untested in this run: " + found.unavailableReason();
            if (Boolean.parseBoolean(System.getProperty(REQUIRE_OPENCL, "false").trim())) {
                fail(reason + " (-D" + REQUIRE_OPENCL + "=true makes this a failure)");
            }
            Assumptions.abort(reason + " (set -D" + REQUIRE_OPENCL + "=true to make this a failure)");
        }
        return found.backends();
    }
}
