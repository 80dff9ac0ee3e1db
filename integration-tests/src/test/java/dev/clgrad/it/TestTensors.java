package dev.clgrad.it;

import dev.clgrad.Tensor;

/** Tensors the tests build again and again. */
final class TestTensors {
    private TestTensors() {
    }

    /** {@code 0, 1, 2, ...} in row-major order with {@code shape}, contiguous, float32. */
    static Tensor range(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Tensor.arange(n).reshape(shape).contiguous();
    }
}
