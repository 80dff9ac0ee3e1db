package dev.clgrad.spi;

/**
 * Device memory accounting of one backend, in bytes.
 *
 * @param liveBytes held by buffers in use
 * @param cachedBytes held by the allocator's cache for reuse
 * @param peakBytes largest {@code liveBytes} seen since the backend opened
 */
public record MemoryStats(long liveBytes, long cachedBytes, long peakBytes) {
}
