package dev.clgrad.spi;

/**
 * What a backend's fused-kernel cache has done ({@link Backend#fusionStats()}).
 *
 * @param kernelsBuilt fused kernels generated and compiled (or loaded from the disk cache)
 * @param cacheHits fused graphs served by a kernel already built in this process
 * @param fallbacks fused graphs run unfused because their kernel failed to build
 */
public record FusionStats(long kernelsBuilt, long cacheHits, long fallbacks) {
    /** A backend that builds no kernels. */
    public static final FusionStats NONE = new FusionStats(0, 0, 0);
}
