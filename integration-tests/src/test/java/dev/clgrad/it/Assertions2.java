package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Tensor comparisons with tolerances that treat NaN as equal to NaN. */
final class Assertions2 {
    private Assertions2() {
    }

    static void assertClose(Fixtures.TensorSpec expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertValuesClose(expected.data(), actual.toDoubleArray(), rtol, atol, what);
    }

    static void assertValuesClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values but got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (rtol " + rtol + ", atol " + atol
                        + ")\nexpected " + abbreviate(expected) + "\nactual   " + abbreviate(actual));
            }
        }
    }

    private static String abbreviate(double[] v) {
        return v.length <= 16 ? Arrays.toString(v) : Arrays.toString(Arrays.copyOf(v, 16)) + "...";
    }

    /** float64 results agree with PyTorch to a few ulps; float32 to the op's own tolerance. */
    static double rtol(DType dtype, double float32Rtol) {
        return dtype == DType.FLOAT64 ? 1e-10 : float32Rtol;
    }

    static double atol(DType dtype, double float32Atol) {
        return dtype == DType.FLOAT64 ? 1e-12 : float32Atol;
    }
}
