package dev.clgrad.opencl;

/**
 * Which kernels and work-group sizes a device gets. The choice follows the device type; a test
 * or a benchmark may ask for the other one with {@code -Dclgrad.opencl.strategy=cpu|gpu}, which
 * is how CI runs the GPU kernels on PoCL.
 */
public enum ClStrategy {
    /**
     * CPU-type devices (PoCL, Intel's CPU runtime): one work-item per contiguous chunk or output
     * row, register-blocked matmul, no barriers.
     */
    CPU(4096),
    /** GPUs: coalesced loads, local-memory reduction trees and matmul tiles. */
    GPU(256);

    private final long elementwiseGroup;

    ClStrategy(long elementwiseGroup) {
        this.elementwiseGroup = elementwiseGroup;
    }

    /**
     * The work-group of an elementwise, copy, fill or random launch over {@code n} work-items:
     * never larger than {@code n}, so a tiny tensor does not pay for thousands of idle
     * work-items (the launch rounds {@code n} up to whole groups).
     */
    long[] groupFor(long n) {
        return new long[] {Math.max(1, Math.min(elementwiseGroup, n))};
    }

    /** The strategy {@code -Dclgrad.opencl.strategy} asks for, or null to follow the device type. */
    static ClStrategy requested() {
        String s = System.getProperty("clgrad.opencl.strategy");
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dclgrad.opencl.strategy=" + s + " is not one of cpu, gpu", e);
        }
    }
}
