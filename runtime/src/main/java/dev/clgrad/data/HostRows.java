package dev.clgrad.data;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;

import java.util.Arrays;

/**
 * A host copy of one dataset tensor as rows along dimension 0, in the tensor's own element
 * type: {@code float[]}, {@code double[]}, {@code long[]}, or {@code byte[]} for UINT8 and BOOL
 * (0 or 1). Gathering rows makes a batch's host array; {@link #upload} puts it on a device.
 * Immutable once read, so prefetch threads share it freely.
 */
final class HostRows {
    /** Elements a UINT8 read widens to longs at a time, to bound the temporary long[]. */
    private static final int READ_CHUNK = 1 << 20;

    private final DType dtype;
    private final long[] rowShape;
    private final int rowLength;
    private final int rows;
    private final Object data;

    private HostRows(DType dtype, long[] rowShape, int rows, Object data) {
        this.dtype = dtype;
        this.rowShape = rowShape;
        this.rowLength = (int) numel(rowShape);
        this.rows = rows;
        this.data = data;
    }

    /** Reads {@code t} (tensor {@code index} of a dataset, for messages) to the host. */
    static HostRows read(Tensor t, int index) {
        long[] shape = t.shape();
        long numel = t.numel();
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DataLoader: dataset tensor " + index + " of shape "
                    + Arrays.toString(shape) + " has " + numel + " elements, more than one host array holds; split "
                    + "it into several datasets");
        }
        long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        Object data = switch (t.dtype()) {
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT64 -> t.toLongArray();
            case BOOL -> toBytes(t.toBooleanArray());
            case UINT8 -> readUnsignedBytes(t);
        };
        return new HostRows(t.dtype(), rowShape, (int) shape[0], data);
    }

    int rows() {
        return rows;
    }

    /**
     * Rows {@code order[from .. from + count)} as one tensor of shape {@code [count, rowShape...]}
     * on {@code device}.
     */
    Tensor gather(int[] order, int from, int count, Device device) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = count;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        int n = count * rowLength;
        Object batch = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case UINT8, BOOL -> new byte[n];
        };
        for (int r = 0; r < count; r++) {
            int row = order == null ? from + r : order[from + r];
            System.arraycopy(data, row * rowLength, batch, r * rowLength, rowLength);
        }
        return upload(batch, dtype, shape, device);
    }

    /**
     * A tensor of {@code dtype} and {@code shape} on {@code device} holding {@code array}
     * ({@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code long[]} for INT64,
     * {@code byte[]} for UINT8 and BOOL). Float tensors go straight to {@code device}; the
     * integer and bool factories create on the default device, so when that is another device
     * the values take one more copy to reach {@code device}.
     */
    static Tensor upload(Object array, DType dtype, long[] shape, Device device) {
        Tensor t = switch (dtype) {
            case FLOAT32 -> Tensor.of((float[]) array, device, shape);
            case FLOAT64 -> Tensor.of((double[]) array, DType.FLOAT64, device, shape);
            case INT64 -> Tensor.of((long[]) array, shape);
            case UINT8 -> Tensor.of((byte[]) array, DType.UINT8, shape);
            case BOOL -> Tensor.of(toBooleans((byte[]) array), shape);
        };
        if (t.device() == device) {
            return t;
        }
        try (t) {
            return t.to(device);
        }
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    private static byte[] toBytes(boolean[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) (b[i] ? 1 : 0);
        }
        return out;
    }

    private static boolean[] toBooleans(byte[] b) {
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }

    /**
     * A UINT8 tensor's bytes. The public read for integers is {@code toLongArray}, eight bytes
     * per element: a 47 MB image set read whole would take 376 MB at once, so it is read in
     * chunks of a flat view.
     */
    private static byte[] readUnsignedBytes(Tensor t) {
        int n = (int) t.numel();
        byte[] out = new byte[n];
        try (Tensor detached = t.detach()) {
            Tensor dense = detached.contiguous();
            try {
                for (int at = 0; at < n; at += READ_CHUNK) {
                    int len = Math.min(READ_CHUNK, n - at);
                    try (Tensor chunk = dense.asStrided(new long[] {len}, new long[] {1}, dense.storageOffset() + at)) {
                        long[] values = chunk.toLongArray();
                        for (int i = 0; i < len; i++) {
                            out[at + i] = (byte) values[i];
                        }
                    }
                }
            } finally {
                dense.close();
            }
        }
        return out;
    }
}
