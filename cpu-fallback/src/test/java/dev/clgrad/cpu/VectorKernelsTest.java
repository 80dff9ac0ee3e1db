package dev.clgrad.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API kernels give the scalar kernels' bits. The build runs the tests with
 * {@code --add-modules jdk.incubator.vector}; CI's pass without it runs the scalar kernels only.
 */
class VectorKernelsTest {
    @Test
    void the_vector_kernels_run_exactly_when_the_jvm_has_the_module() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean off = "off".equalsIgnoreCase(System.getProperty("clgrad.vector", "").trim());
        if (!module || off) {
            assertEquals(false, CpuVectors.ENABLED);
        } else {
            // every x86-64 CPU since 2013 (AVX2) and every arm64 one with SVE has 4 or more double lanes
            assertEquals(VectorKernels.doubleLanes() >= 4, CpuVectors.ENABLED);
        }
    }

    @Test
    void sums_give_the_scalar_bits_for_every_length_and_offset() {
        assumeTrue(CpuVectors.ENABLED, "this JVM runs without the Vector API module");
        Random r = new Random(12);
        float[] f = new float[5000];
        double[] d = new double[5000];
        for (int i = 0; i < f.length; i++) {
            // wide range and mixed signs, so that the order of the additions shows in the bits
            f[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
            d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
        }
        for (int len = 0; len <= 300; len++) {
            for (int off : new int[] {0, 1, 3, 7, 8, 13}) {
                assertBits(ReduceKernels.scalarSum(f, off, len), VectorKernels.sum(f, off, len), "float32", off, len);
                assertBits(ReduceKernels.scalarSum(d, off, len), VectorKernels.sum(d, off, len), "float64", off, len);
            }
        }
        assertBits(ReduceKernels.scalarSum(f, 5, 4990), VectorKernels.sum(f, 5, 4990), "float32", 5, 4990);
        f[777] = Float.NaN;
        d[777] = Double.POSITIVE_INFINITY;
        assertBits(ReduceKernels.scalarSum(f, 0, 5000), VectorKernels.sum(f, 0, 5000), "float32 with NaN", 0, 5000);
        assertBits(ReduceKernels.scalarSum(d, 0, 5000), VectorKernels.sum(d, 0, 5000), "float64 with inf", 0, 5000);
    }

    @Test
    void maxima_and_minima_give_the_scalar_values_with_nans_and_signed_zeros() {
        assumeTrue(CpuVectors.ENABLED, "this JVM runs without the Vector API module");
        Random r = new Random(34);
        for (int round = 0; round < 400; round++) {
            int len = 1 + r.nextInt(200);
            float[] f = new float[len + 5];
            double[] d = new double[len + 5];
            for (int i = 0; i < f.length; i++) {
                int kind = r.nextInt(20);
                double v = kind == 0 ? 0.0 : kind == 1 ? -0.0 : kind == 2 && round % 3 == 0 ? Double.NaN
                        : kind == 3 ? Double.NEGATIVE_INFINITY : kind == 4 ? Double.POSITIVE_INFINITY
                        : r.nextGaussian();
                f[i] = (float) v;
                d[i] = v;
            }
            int off = r.nextInt(5);
            assertBits(ReduceKernels.max(f, off, len), VectorKernels.max(f, off, len), "float32 max", off, len);
            assertBits(ReduceKernels.min(f, off, len), VectorKernels.min(f, off, len), "float32 min", off, len);
            assertBits(ReduceKernels.max(d, off, len), VectorKernels.max(d, off, len), "float64 max", off, len);
            assertBits(ReduceKernels.min(d, off, len), VectorKernels.min(d, off, len), "float64 min", off, len);
        }
    }

    private static void assertBits(double expected, double actual, String what, int off, int len) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                what + " sum of " + len + " elements from " + off + ": " + expected + " vs " + actual);
    }
}
