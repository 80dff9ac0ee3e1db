package dev.clgrad.it;

import dev.clgrad.Device;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The devices the parity suite runs on (every device present), and the CI switch
 * {@code -Dclgrad.requireOpenCL=true} that turns a missing OpenCL device from a visible skip
 * into a failure.
 */
final class TestDevices {
    /** The system property CI sets (surefire passes it through to the test JVM). */
    static final String REQUIRE_OPENCL = "clgrad.requireOpenCL";

    private TestDevices() {
    }

    /**
     * The device's live bytes once the garbage collector has found every unreachable tensor and
     * its releases have settled (they come from another thread). Tests that compare live bytes
     * exactly start from here, so garbage left by earlier tests cannot be released mid-test.
     */
    static long settledLiveBytes(Device d) throws InterruptedException {
        long last = -1;
        int steady = 0;
        for (int i = 0; i < 200; i++) {
            System.gc();
            Thread.sleep(20);
            d.synchronize();
            long live = d.memoryStats().liveBytes();
            // three equal readings in a row: one pause of the reaper thread is not enough to settle
            steady = live == last ? steady + 1 : 0;
            if (steady == 2) {
                return live;
            }
            last = live;
        }
        return last;
    }

    static List<Device> all() {
        return Device.available();
    }

    /** The OpenCL devices present ({@code opencl:0}, ...). */
    static List<Device> openCL() {
        return all().stream().filter(d -> d.name().startsWith("opencl")).collect(Collectors.toList());
    }

    /** Whether this run must have an OpenCL device ({@code -Dclgrad.requireOpenCL=true}). */
    static boolean openCLRequired() {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_OPENCL, "false").trim());
    }

    /** Why there is no OpenCL device to test, and how to get one. */
    static String noOpenCLMessage() {
        String devices = all().stream().map(Device::name).collect(Collectors.joining(", "));
        return "no OpenCL device is available (devices present: " + devices + "), so the OpenCL backend is "
                + "untested in this run. Install an OpenCL driver: on Debian/Ubuntu any CPU can use PoCL, "
                + "`apt-get install pocl-opencl-icd ocl-icd-opencl-dev` (check with `clinfo -l`; GPU drivers are "
                + "listed in the README under 'Installing an OpenCL driver'); the WARN line clgrad logs at "
                + "startup says why discovery found no device. "
                + (openCLRequired() ? "This run sets -D" + REQUIRE_OPENCL + "=true, so this is a failure."
                        : "Set -D" + REQUIRE_OPENCL + "=true to make this a failure, as CI does.");
    }
}
