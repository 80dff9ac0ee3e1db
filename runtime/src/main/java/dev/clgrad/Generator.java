package dev.clgrad;

import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;

/**
 * The default random generator: a Philox seed and the next unused counter. Each draw takes a
 * range of counters, so draws are reproducible per seed and identical on every device.
 */
final class Generator {
    /** PyTorch's default seed, used until {@code manualSeed} is called. */
    static final long DEFAULT_SEED = 67280421310721L;
    private static long seed = DEFAULT_SEED;
    private static long offset;

    private Generator() {
    }

    static synchronized void manualSeed(long s) {
        seed = s;
        offset = 0;
    }

    /** The (seed, offset) of a draw of {@code n} elements, advancing the offset past it. */
    static synchronized long[] reserve(RandomOp op, DType dtype, long n) {
        long[] at = {seed, offset};
        offset += Philox.groups(op, dtype.elementType(), n);
        return at;
    }
}
