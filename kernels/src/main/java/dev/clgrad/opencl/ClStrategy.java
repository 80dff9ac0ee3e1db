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

    /** Work-group size for launches below one full group: small tensors skip idle work-items. */
    private static final long SMALL_GROUP = 64;

    /**
     * The work-group of an elementwise, copy, fill or random launch over {@code n} work-items.
     * Only two sizes, because drivers such as PoCL compile a kernel once per work-group size:
     * one size per tensor length would compile at every new shape.
     */
    long[] groupFor(long n) {
        return new long[] {n < elementwiseGroup ? Math.min(SMALL_GROUP, elementwiseGroup) : elementwiseGroup};
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
