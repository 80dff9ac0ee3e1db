package dev.clgrad.spi;

/**
 * What a backend reports about the device it runs on.
 *
 * @param name device name as the driver gives it
 * @param vendor vendor or platform name
 * @param driverVersion driver version string (keys on-disk caches)
 * @param type kind of hardware
 * @param globalMemoryBytes total device memory in bytes (for the pure-Java backend: the JVM's max heap)
 * @param supportsFloat64 whether FLOAT64 tensors can live on the device
 * @param computeUnits parallel compute units (cores for a CPU)
 */
public record DeviceInfo(String name, String vendor, String driverVersion, Type type,
                         long globalMemoryBytes, boolean supportsFloat64, int computeUnits) {

    /** Kind of hardware behind a device. */
    public enum Type { CPU, GPU, ACCELERATOR, OTHER }
}
