package dev.clgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;
import java.util.Arrays;
import java.util.Random;

/** Test helpers: views with chosen layouts over buffers filled with a sentinel, read back in row-major order. */
final class Tensors {
    /** Value of every buffer element no view has written. */
    static final double SENTINEL = -12345.0;

    /** The sentinel in {@code dtype}: bytes cannot hold {@link #SENTINEL}. */
    static double sentinel(ElementType dtype) {
        return dtype == ElementType.BOOL || dtype == ElementType.UINT8 ? 90 : SENTINEL;
    }

    final CpuBackend backend;

    Tensors(CpuBackend backend) {
        this.backend = backend;
    }

    /** A view with layout {@code l} whose elements, in row-major order, are {@code values}. */
    View make(ElementType dtype, Layout l, double[] values) {
        long n = l.numel();
        if (values.length != n) {
            throw new IllegalArgumentException(values.length + " values for " + l);
        }
        int cap = (int) (maxIndex(l) + 3);
        double[] host = new double[cap];
        Arrays.fill(host, sentinel(dtype));
        int[] pos = positions(l);
        for (int i = 0; i < pos.length; i++) {
            host[pos[i]] = values[i];
        }
        Buffer b = backend.allocate(dtype, cap);
        if (dtype == ElementType.BOOL || dtype == ElementType.UINT8) {
            byte[] bytes = new byte[cap];
            for (int i = 0; i < cap; i++) {
                bytes[i] = (byte) (dtype == ElementType.BOOL && host[i] != sentinel(dtype) ? (host[i] != 0 ? 1 : 0)
                        : (long) host[i]);
            }
            HostTransfers.write(backend, b, bytes);
        } else if (dtype == ElementType.INT64) {
            long[] longs = new long[cap];
            for (int i = 0; i < cap; i++) {
                longs[i] = (long) host[i];
            }
            HostTransfers.write(backend, b, longs);
        } else if (dtype == ElementType.FLOAT32) {
            float[] f = new float[cap];
            for (int i = 0; i < cap; i++) {
                f[i] = (float) host[i];
            }
            HostTransfers.write(backend, b, f);
        } else {
            HostTransfers.write(backend, b, host);
        }
        return new View(b, l);
    }

    /** An output view with layout {@code l}, all sentinel. */
    View empty(ElementType dtype, Layout l) {
        return make(dtype, l, filled((int) l.numel(), sentinel(dtype)));
    }

    /** The elements of {@code v} in row-major order. */
    double[] get(View v) {
        double[] all = raw(v.buffer());
        int[] pos = positions(v.layout());
        double[] out = new double[pos.length];
        for (int i = 0; i < pos.length; i++) {
            out[i] = all[pos[i]];
        }
        return out;
    }

    /** Every element of {@code b}. */
    double[] raw(Buffer b) {
        int cap = (int) b.capacity();
        double[] all = new double[cap];
        if (b.elementType() == ElementType.BOOL || b.elementType() == ElementType.UINT8) {
            byte[] bytes = new byte[cap];
            HostTransfers.read(backend, b, 0, bytes);
            for (int i = 0; i < cap; i++) {
                all[i] = bytes[i] & 0xff;
            }
        } else if (b.elementType() == ElementType.INT64) {
            long[] longs = new long[cap];
            HostTransfers.read(backend, b, 0, longs);
            for (int i = 0; i < cap; i++) {
                all[i] = longs[i];
            }
        } else if (b.elementType() == ElementType.FLOAT32) {
            float[] f = new float[cap];
            HostTransfers.read(backend, b, 0, f);
            for (int i = 0; i < cap; i++) {
                all[i] = f[i];
            }
        } else {
            HostTransfers.read(backend, b, 0, all);
        }
        return all;
    }

    /** Asserts that every element of {@code v}'s buffer outside {@code v} still holds the sentinel. */
    void assertUntouchedOutside(View v) {
        double[] all = raw(v.buffer());
        boolean[] inside = new boolean[all.length];
        for (int p : positions(v.layout())) {
            inside[p] = true;
        }
        for (int i = 0; i < all.length; i++) {
            if (!inside[i]) {
                assertEquals(sentinel(v.buffer().elementType()), all[i], "element " + i + " outside the view was written");
            }
        }
    }

    static int[] positions(Layout l) {
        int n = (int) l.numel();
        int[] pos = new int[n];
        long[] shape = l.shape();
        long[] strides = l.strides();
        long[] idx = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long p = l.offset();
            for (int d = 0; d < shape.length; d++) {
                p += idx[d] * strides[d];
            }
            pos[i] = (int) p;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return pos;
    }

    static long maxIndex(Layout l) {
        long hi = l.offset();
        if (l.numel() == 0) {
            return hi;
        }
        for (int d = 0; d < l.dim(); d++) {
            hi += Math.max(0, (l.shape()[d] - 1) * l.strides()[d]);
        }
        return hi;
    }

    // ---- layouts ----

    static Layout contiguous(long offset, long... shape) {
        return new Layout(shape, Layout.contiguousStrides(shape), offset);
    }

    /** Row-major but every element two apart and one spare element per row: not contiguous. */
    static Layout strided(long offset, long... shape) {
        long[] strides = new long[shape.length];
        long s = 2;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s = s * Math.max(shape[d], 1) + 1;
        }
        return new Layout(shape, strides, offset);
    }

    /** Column-major: the transpose of a contiguous tensor of the reversed shape. */
    static Layout transposed(long offset, long... shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = 0; d < shape.length; d++) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return new Layout(shape, strides, offset);
    }

    /** {@code base} expanded to {@code shape}: size-1 dims of base get stride 0. */
    static Layout expand(Layout base, long... shape) {
        long[] strides = base.strides().clone();
        for (int d = 0; d < shape.length; d++) {
            if (base.shape()[d] == 1 && shape[d] != 1) {
                strides[d] = 0;
            }
        }
        return new Layout(shape, strides, base.offset());
    }

    // ---- values ----

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * 3;
        }
        return a;
    }

    static double[] iota(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** {@code values} as the dtype holds them. */
    static double[] round(ElementType dtype, double[] values) {
        if (dtype == ElementType.FLOAT64) {
            return values.clone();
        }
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) values[i];
        }
        return r;
    }

    /** Equal element by element within {@code ulps} units in the last place of the dtype; NaN equals NaN. */
    static void assertClose(ElementType dtype, double[] expected, double[] actual, double ulps, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
                continue;
            }
            double ulp = dtype == ElementType.FLOAT32 ? Math.ulp((float) e) : Math.ulp(e);
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Math.abs(e - a) > ulps * ulp) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    /** Bit-identical element by element. */
    static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
