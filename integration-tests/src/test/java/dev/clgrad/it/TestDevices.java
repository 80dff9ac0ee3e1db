package dev.clgrad.it;

import dev.clgrad.Device;

import java.util.List;

/** The devices the parity suite runs on: every device present. */
final class TestDevices {
    private TestDevices() {
    }

    static List<Device> all() {
        return Device.available();
    }
}
