package dev.clgrad.spi;

import java.util.List;

/**
 * Discovers the devices of one backend family; found through {@link java.util.ServiceLoader}
 * (list implementations in {@code META-INF/services/dev.clgrad.spi.BackendProvider}).
 */
public interface BackendProvider {

    /**
     * Device family name used in device strings: {@code cpu} or {@code opencl}. A family with
     * several devices numbers them {@code opencl:0}, {@code opencl:1}, ... in discovery order.
     */
    String family();

    /** Order among families when choosing the default device: lower is preferred. */
    int priority();

    /**
     * Opens every device of this family. Never throws for a missing driver or device:
     * returns an empty list with the reason instead, which the runtime logs.
     */
    Discovery discover();

    /**
     * The devices found and, when there are none, why.
     *
     * @param backends one backend per device, in the order devices are numbered
     * @param unavailableReason why no device was found, or null
     */
    record Discovery(List<Backend> backends, String unavailableReason) {
        /** A family with devices. */
        public static Discovery of(List<Backend> backends) {
            return new Discovery(List.copyOf(backends), null);
        }

        /** A family without devices, and why. */
        public static Discovery none(String reason) {
            return new Discovery(List.of(), reason);
        }
    }
}
