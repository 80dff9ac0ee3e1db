package dev.clgrad.spi;

/**
 * The random-number specification every backend implements bit for bit, with a reference
 * implementation in plain Java.
 *
 * <p>The block function is Philox4x32-10 (Salmon et al., SC'11): a 128-bit counter
 * {@code (c0, c1, c2, c3)} and a 64-bit key {@code (k0, k1)} give four 32-bit words. A draw
 * with {@code seed} and {@code offset} uses key {@code (lo32(seed), hi32(seed))} and counter
 * {@code (lo32(g), hi32(g), 0, 0)} for group {@code g = offset + j}, where group {@code j} of
 * the draw supplies:
 * <ul>
 *   <li>UNIFORM FLOAT32: elements {@code 4j..4j+3}, element {@code 4j+w} is
 *       {@code (word[w] >>> 8) * 2^-24};</li>
 *   <li>UNIFORM FLOAT64: elements {@code 2j, 2j+1}, element {@code 2j+h} is
 *       {@code (((long) word[2h+1] << 32 | word[2h]) >>> 11) * 2^-53};</li>
 *   <li>NORMAL (both dtypes): elements {@code 4j..4j+3} in two Box-Muller pairs: pair
 *       {@code h} takes {@code u1 = (word[2h] + 1) * 2^-32} (in (0, 1]) and
 *       {@code u2 = word[2h+1] * 2^-32}, {@code r = sqrt(-2 ln u1)}, {@code t = 2 pi u2}, and
 *       gives elements {@code 4j+2h = r cos t} and {@code 4j+2h+1 = r sin t}, computed in
 *       double precision and then rounded to the dtype.</li>
 * </ul>
 * Words are unsigned. A draw of {@code n} elements consumes {@link #groups} counter groups;
 * the default generator advances its offset by that much after each draw.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_POW_M24 = 0x1p-24;
    private static final double TWO_POW_M32 = 0x1p-32;
    private static final double TWO_POW_M53 = 0x1p-53;

    private Philox() {
    }

    /** Philox4x32-10 of {@code counter} (4 words) under {@code key} (2 words) into {@code out} (4 words). */
    public static void block(int[] counter, int k0, int k1, int[] out) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Counter groups a draw of {@code n} elements consumes. */
    public static long groups(RandomOp op, ElementType dtype, long n) {
        int perGroup = op == RandomOp.UNIFORM && dtype == ElementType.FLOAT64 ? 2 : 4;
        return (n + perGroup - 1) / perGroup;
    }

    /**
     * Elements {@code [start, start + dst.length)} of a draw, by the rules above; {@code start}
     * must be a multiple of 4. Writing both dtypes through {@code double[]} keeps one code
     * path: FLOAT32 values are exactly representable and already rounded.
     */
    public static void fill(RandomOp op, ElementType dtype, long seed, long offset, long start, double[] dst) {
        int perGroup = op == RandomOp.UNIFORM && dtype == ElementType.FLOAT64 ? 2 : 4;
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int[] ctr = new int[4];
        int[] word = new int[4];
        double[] vals = new double[4];
        for (int i = 0; i < dst.length; i += perGroup) {
            long g = offset + (start + i) / perGroup;
            ctr[0] = (int) g;
            ctr[1] = (int) (g >>> 32);
            block(ctr, k0, k1, word);
            groupValues(op, dtype, word, vals);
            for (int w = 0; w < perGroup && i + w < dst.length; w++) {
                dst[i + w] = vals[w];
            }
        }
    }

    /** The values one group's words give (2 for UNIFORM FLOAT64, else 4). */
    public static void groupValues(RandomOp op, ElementType dtype, int[] word, double[] vals) {
        if (op == RandomOp.UNIFORM) {
            if (dtype == ElementType.FLOAT64) {
                for (int h = 0; h < 2; h++) {
                    long bits = ((long) word[2 * h + 1] << 32) | (word[2 * h] & 0xFFFFFFFFL);
                    vals[h] = (bits >>> 11) * TWO_POW_M53;
                }
            } else {
                for (int w = 0; w < 4; w++) {
                    vals[w] = (word[w] >>> 8) * TWO_POW_M24;
                }
            }
            return;
        }
        for (int h = 0; h < 2; h++) {
            double u1 = ((word[2 * h] & 0xFFFFFFFFL) + 1) * TWO_POW_M32;
            double u2 = (word[2 * h + 1] & 0xFFFFFFFFL) * TWO_POW_M32;
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double t = 2.0 * StrictMath.PI * u2;
            double a = r * StrictMath.cos(t);
            double b = r * StrictMath.sin(t);
            vals[2 * h] = dtype == ElementType.FLOAT32 ? (float) a : a;
            vals[2 * h + 1] = dtype == ElementType.FLOAT32 ? (float) b : b;
        }
    }
}
