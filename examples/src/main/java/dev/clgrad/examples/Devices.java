package dev.clgrad.examples;

import dev.clgrad.Device;
import dev.clgrad.spi.DeviceInfo;

/** Lists every device clgrad can use, with its memory and float64 support, and the default. */
public final class Devices {
    private Devices() {
    }

    /** Prints one line per device; no arguments. */
    public static void main(String[] args) {
        Device chosen = Device.getDefault();
        for (Device d : Device.available()) {
            DeviceInfo info = d.info();
            System.out.printf("%-10s %-4s %-40s %-24s memory %,d MiB  float64 %s%s%n", d.name(), info.type(),
                    info.name(), info.vendor(), info.globalMemoryBytes() >> 20,
                    info.supportsFloat64() ? "yes" : "no", d == chosen ? "  (default)" : "");
        }
    }
}
