package dev.clgrad.it;

import dev.clgrad.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Makes a missing OpenCL device loud: a visible skip by default, and a failure when the run
 * sets {@code -Dclgrad.requireOpenCL=true} (CI, through {@code .ci/run}), so the parity suite
 * cannot pass green with only the CPU backend tested. CI's other pass hides {@code libOpenCL.so}
 * and sets {@code -Dclgrad.expectNoOpenCL=true}: then the CPU backend must be all there is.
 */
class RequireOpenCLTest {

    @Test
    void opencl_device_is_present() {
        Assumptions.assumeFalse(Boolean.getBoolean("clgrad.expectNoOpenCL"), "this run hides libOpenCL.so on purpose");
        if (!TestDevices.openCL().isEmpty()) {
            return;
        }
        if (TestDevices.openCLRequired()) {
            fail(TestDevices.noOpenCLMessage());
        }
        Assumptions.abort(TestDevices.noOpenCLMessage());
    }

    @Test
    void without_an_opencl_library_everything_runs_on_the_cpu_backend() {
        Assumptions.assumeTrue(Boolean.getBoolean("clgrad.expectNoOpenCL"),
                "only in the pass of .ci/run that hides libOpenCL.so (-Dclgrad.expectNoOpenCL=true)");
        assertEquals(List.of(Device.cpu()), Device.available());
        assertEquals(Device.cpu(), Device.getDefault());
    }
}
