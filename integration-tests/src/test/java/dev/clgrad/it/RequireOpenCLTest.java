package dev.clgrad.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Makes a missing OpenCL device loud: a visible skip by default, and a failure when the run
 * sets {@code -Dclgrad.requireOpenCL=true} (CI, through {@code .ci/run}), so the parity suite
 * cannot pass green with only the CPU backend tested.
 */
class RequireOpenCLTest {

    @Test
    void opencl_device_is_present() {
        if (!TestDevices.openCL().isEmpty()) {
            return;
        }
        if (TestDevices.openCLRequired()) {
            fail(TestDevices.noOpenCLMessage());
        }
        Assumptions.abort(TestDevices.noOpenCLMessage());
    }
}
