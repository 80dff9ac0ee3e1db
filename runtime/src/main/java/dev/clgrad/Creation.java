package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.RandomOp;

/** Tensor factories: from host data, constants, ranges and random draws. */
final class Creation {
    private Creation() {
    }

    /** A new contiguous tensor with its own storage and unspecified contents. */
    static Tensor empty(Device device, DType dtype, long[] shape) {
        return emptyStrided(device, dtype, shape, Layout.contiguousStrides(shape));
    }

    /** A new tensor laid out with {@code strides}, with its own storage and unspecified contents. */
    static Tensor emptyStrided(Device device, DType dtype, long[] shape, long[] strides) {
        if (dtype == DType.FLOAT64 && !device.info().supportsFloat64()) {
            throw new UnsupportedOperationException("device " + device + " (" + device.info().name()
                    + ") does not support float64; use float32 tensors or another device");
        }
        for (long st : strides) {
            if (st < 0) {
                throw new IllegalArgumentException("empty_strided: negative strides are not supported: sizes="
                        + Shapes.str(shape) + " and strides=" + Shapes.str(strides) + "; use non-negative strides");
            }
        }
        Shapes.checkedNumel("empty", shape);
        Layout layout = new Layout(shape, strides, 0);
        long capacity = layout.numel() == 0 ? 0 : layout.extent();
        if (capacity > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Shapes.str(shape)
                    + " and strides=" + Shapes.str(strides) + ": the " + dtype.pyName() + " elements need more bytes "
                    + "than a 64-bit count holds; use smaller sizes or strides");
        }
        Backend backend = device.dispatch();
        MemoryGovernor governor = device.governor();
        if (governor != null) {
            governor.beforeAllocate(capacity * dtype.byteSize());
        }
        return new Tensor(device, dtype, layout, new Storage(backend, backend.allocate(dtype.elementType(), capacity)),
                new VersionCounter(), null);
    }

    static Tensor fromFloats(float[] data, long[] shape, Device device) {
        long[] s = shapeFor("Tensor.of", data.length, shape);
        Tensor t = Creation.empty(device, DType.FLOAT32, s);
        if (data.length > 0) {
            HostTransfers.write(device.dispatch(), t.buffer(), data);
        }
        return t;
    }

    static Tensor fromDoubles(double[] data, DType dtype, long[] shape, Device device) {
        long[] s = shapeFor("Tensor.of", data.length, shape);
        Tensor t = Creation.empty(device, dtype, s);
        if (data.length == 0) {
            return t;
        }
        if (dtype == DType.FLOAT64) {
            HostTransfers.write(device.dispatch(), t.buffer(), data);
        } else if (dtype == DType.INT64) {
            long[] l = new long[data.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) data[i];
            }
            HostTransfers.write(device.dispatch(), t.buffer(), l);
        } else if (!dtype.isFloatingPoint()) {
            byte[] b = new byte[data.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (dtype == DType.BOOL ? (data[i] != 0 ? 1 : 0) : (long) data[i]);
            }
            HostTransfers.write(device.dispatch(), t.buffer(), b);
        } else {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            HostTransfers.write(device.dispatch(), t.buffer(), f);
        }
        return t;
    }

    static Tensor fromLongs(long[] data, long[] shape, Device device) {
        long[] s = shapeFor("Tensor.of", data.length, shape);
        Tensor t = Creation.empty(device, DType.INT64, s);
        if (data.length > 0) {
            HostTransfers.write(device.dispatch(), t.buffer(), data);
        }
        return t;
    }

    /** Bytes as UINT8 or BOOL (0 or 1 per byte; the caller normalised them). */
    static Tensor fromBytes(byte[] data, DType dtype, long[] shape, Device device) {
        long[] s = shapeFor("Tensor.of", data.length, shape);
        Tensor t = Creation.empty(device, dtype, s);
        if (data.length > 0) {
            HostTransfers.write(device.dispatch(), t.buffer(), data);
        }
        return t;
    }

    /** One unsigned value per byte as {@code dtype}: UINT8 keeps the bytes, BOOL tests them against 0. */
    static Tensor fromUnsignedBytes(byte[] data, DType dtype, long[] shape, Device device) {
        Tensor bytes = fromBytes(data, DType.UINT8, shape, device);
        if (dtype == DType.UINT8) {
            return bytes;
        }
        try (bytes) {
            return dtype == DType.BOOL ? bytes.ne(0L) : Pointwise.castIfNeeded(bytes, dtype);
        }
    }

    static Tensor fromBooleans(boolean[] data, long[] shape, Device device) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (data[i] ? 1 : 0);
        }
        return fromBytes(b, DType.BOOL, shape, device);
    }

    static Tensor fromRows(double[][] rows, Device device) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Tensor.of(double[][]): expected sequence of length " + cols
                        + " at dim 1 (got " + rows[r].length + " in row " + r + ")");
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return fromDoubles(flat, DType.FLOAT32, new long[] {rows.length, cols}, device);
    }

    /** The shape for {@code count} values: {@code shape} checked, or 0-dim/1-D when none is given. */
    private static long[] shapeFor(String op, int count, long[] shape) {
        if (shape.length == 0) {
            return count == 1 ? new long[0] : new long[] {count};
        }
        long[] s = Shapes.inferSize(op, shape, count);
        if (Shapes.numel(s) != count) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " is invalid for " + count
                    + " values");
        }
        return s;
    }

    static Tensor full(double value, DType dtype, long[] shape, Device device) {
        return full("full", value, dtype, shape, device);
    }

    static Tensor full(String op, double value, DType dtype, long[] shape, Device device) {
        checkShape(op, shape);
        Tensor t = Creation.empty(device, dtype, shape.clone());
        if (t.numel() > 0) {
            device.dispatch().fill(t.view(), value);
        }
        return t;
    }

    /** {@code arange} in {@code dtype}: float32 is computed as before; int64 counts exactly. */
    static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        if (dtype == DType.FLOAT32) {
            return arange(start, end, step, device);
        }
        long n = arangeLength(start, end, step);
        if (dtype == DType.FLOAT64) {
            double[] values = new double[(int) n];
            for (int i = 0; i < n; i++) {
                values[i] = start + i * step;
            }
            return fromDoubles(values, DType.FLOAT64, new long[] {n}, device);
        }
        long[] values = new long[(int) n];
        for (int i = 0; i < n; i++) {
            values[i] = (long) (start + i * step);
        }
        Tensor longs = fromLongs(values, new long[] {n}, device);
        if (dtype == DType.INT64) {
            return longs;
        }
        try (longs) {
            return Pointwise.castIfNeeded(longs, dtype);
        }
    }

    static Tensor arange(double start, double end, double step, Device device) {
        long n = arangeLength(start, end, step);
        float[] values = new float[(int) n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (start + i * step);
        }
        return fromFloats(values, new long[] {n}, device);
    }

    private static long arangeLength(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be nonzero (got " + step + ")");
        }
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: unsupported range: " + start + " -> " + end);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign ("
                    + "start=" + start + ", end=" + end + ", step=" + step + ")");
        }
        long n = (long) Math.ceil((end - start) / step);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many for one host array");
        }
        return n;
    }

    static Tensor random(RandomOp op, DType dtype, long[] shape, Device device) {
        checkShape(op == RandomOp.UNIFORM ? "rand" : "randn", shape);
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException((op == RandomOp.UNIFORM ? "rand" : "randn") + ": \""
                    + (op == RandomOp.UNIFORM ? "check_uniform_bounds" : "normal_kernel_cpu") + "\" not implemented for '"
                    + dtype.pyName() + "'; draw floats, or use randint for integers");
        }
        Tensor t = Creation.empty(device, dtype, shape.clone());
        long[] at = Generator.reserve(op, dtype, t.numel());
        if (t.numel() > 0) {
            device.dispatch().random(op, at[0], at[1], t.view());
        }
        return t;
    }

    static void checkShape(String op, long[] shape) {
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": trying to create tensor with negative dimension " + s
                        + ": " + Shapes.str(shape));
            }
        }
        Shapes.checkedNumel(op, shape);
    }

    /** Integers uniform in {@code [low, high)} as int64, drawn through the float64 Philox stream. */
    static Tensor randint(long low, long high, long[] shape, Device device) {
        checkShape("randint", shape);
        if (low >= high) {
            throw new IllegalArgumentException("randint: random_ expects 'from' to be less than 'to', but got from="
                    + low + " >= to=" + high);
        }
        DType draw = device.info().supportsFloat64() ? DType.FLOAT64 : DType.FLOAT32;
        try (var g = Autograd.noGrad(); Tensor u = random(RandomOp.UNIFORM, draw, shape, device);
             Tensor scaled = u.mul((double) (high - low))) {
            // u < 1, so the product truncates to [0, high - low); the clamp guards float32 rounding up
            return scaled.to(DType.INT64).clampMax(high - low - 1).add(low);
        }
    }

    /**
     * A random permutation of {@code 0..n-1} as int64: the indices sorted by Philox keys drawn
     * on the host from the global generator (the same permutation on every device).
     */
    static Tensor randperm(long n, Device device) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("randperm: n = " + n + " is too large for one host array");
        }
        long[] at = Generator.reserve(RandomOp.UNIFORM, DType.FLOAT64, n);
        return fromLongs(permutation((int) n, at[0], at[1]), new long[] {n}, device);
    }

    /** The permutation of {@code 0..n-1} that sorts the Philox float64 draws of (seed, offset), ties by index. */
    static long[] permutation(int n, long seed, long offset) {
        double[] keys = new double[n];
        dev.clgrad.spi.Philox.fill(RandomOp.UNIFORM, dev.clgrad.spi.ElementType.FLOAT64, seed, offset, 0, keys);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Double.compare(keys[a], keys[b])
                : Integer.compare(a, b));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
