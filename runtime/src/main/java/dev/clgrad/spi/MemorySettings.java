package dev.clgrad.spi;

import java.util.Locale;

/**
 * The memory settings shared by the runtime and the backends, each a system property with an
 * environment twin: {@code -Dclgrad.memory.highWater} ({@code CLGRAD_MEMORY_HIGH_WATER}) and
 * {@code -Dclgrad.memory.cacheCap} ({@code CLGRAD_MEMORY_CACHE_CAP}). Values are bytes with an
 * optional binary suffix ({@code 512m}, {@code 2g}) or a percentage of the device's memory
 * ({@code 10%}).
 */
public final class MemorySettings {
    /** System property of the high-water mark. */
    public static final String HIGH_WATER = "clgrad.memory.highWater";
    /** System property of the allocator cache's cap. */
    public static final String CACHE_CAP = "clgrad.memory.cacheCap";

    private MemorySettings() {
    }

    /**
     * The live bytes past which the runtime first lets the garbage collector reclaim unreachable
     * tensors (default: an eighth of the device's memory, between 64 MiB and 512 MiB; the
     * runtime raises it to twice what a program holds after a collection).
     */
    public static long highWaterBytes(long deviceBytes) {
        return read(HIGH_WATER, deviceBytes, clamp(deviceBytes / 8, 64L << 20, 512L << 20));
    }

    /**
     * The most bytes an allocator keeps cached for reuse (default: a sixteenth of the device's
     * memory, between 32 MiB and 2 GiB).
     */
    public static long cacheCapBytes(long deviceBytes) {
        return read(CACHE_CAP, deviceBytes, clamp(deviceBytes / 16, 32L << 20, 2L << 30));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static String raw(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            v = System.getenv("CLGRAD_" + property.substring("clgrad.".length()).replace('.', '_')
                    .replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long read(String property, long deviceBytes, long fallback) {
        String v = raw(property);
        return v == null ? fallback : parse(property, v, deviceBytes);
    }

    /** Bytes from {@code 123}, {@code 64k}, {@code 512m}, {@code 2g}, {@code 1t} or {@code 10%} of {@code deviceBytes}. */
    public static long parse(String property, String value, long deviceBytes) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("%")) {
                double pct = Double.parseDouble(v.substring(0, v.length() - 1));
                if (pct < 0 || pct > 100) {
                    throw new NumberFormatException();
                }
                return (long) (deviceBytes * pct / 100);
            }
            int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> 0;
            };
            long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1).trim());
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " = '" + value + "' is not a size: give bytes with an "
                    + "optional suffix (512m, 2g) or a percentage of the device's memory (10%)");
        }
    }
}
