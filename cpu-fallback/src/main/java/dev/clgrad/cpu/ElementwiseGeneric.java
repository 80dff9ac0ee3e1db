package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The elementwise calls the per-type float loops do not take: comparisons (BOOL out), WHERE
 * (BOOL condition) and every op on integer and boolean tensors. Values go through
 * {@link CpuElements}: floating compute types in double, the others in long (wrapping to the
 * output type when stored). One walk of a {@link StridedCursor}, split across threads when large.
 */
final class ElementwiseGeneric {
    private ElementwiseGeneric() {
    }

    /** Whether {@link #run} takes this call instead of the float loops. */
    static boolean takes(ElementwiseOp op, ElementType out) {
        return op.isComparison() || op == ElementwiseOp.WHERE || !out.isFloating();
    }

    static void run(CpuParallel par, ElementwiseOp op, double scalar, View out, View[] in) {
        Layout ol = out.layout();
        long n = ol.numel();
        int arity = in.length;
        CpuBuffer[] bufs = new CpuBuffer[arity + 1];
        long[][] strides = new long[arity + 1][];
        long[] offsets = new long[arity + 1];
        bufs[0] = (CpuBuffer) out.buffer();
        strides[0] = ol.strides();
        offsets[0] = ol.offset();
        for (int k = 0; k < arity; k++) {
            bufs[k + 1] = (CpuBuffer) in[k].buffer();
            strides[k + 1] = in[k].layout().strides();
            offsets[k + 1] = in[k].layout().offset();
        }
        ElementType compute = op.computeType(bufs[0].dtype, inputTypes(bufs));
        StridedCursor cursor = StridedCursor.of(ol.shape(), strides, offsets);
        if (!par.worthSplitting(n, CpuParallel.COST_STREAM)) {
            walk(op, scalar, compute, bufs, cursor, 0, n);
        } else {
            par.forRange(n, 1024, (from, to) -> walk(op, scalar, compute, bufs, cursor.copy(), from, to));
        }
    }

    private static ElementType[] inputTypes(CpuBuffer[] bufs) {
        ElementType[] t = new ElementType[bufs.length - 1];
        for (int k = 1; k < bufs.length; k++) {
            t[k - 1] = bufs[k].dtype;
        }
        return t;
    }

    private static void walk(ElementwiseOp op, double s, ElementType compute, CpuBuffer[] b, StridedCursor cur,
                             long from, long to) {
        int arity = b.length - 1;
        int[] step = new int[arity + 1];
        for (int k = 0; k <= arity; k++) {
            step[k] = cur.innerStride(k);
        }
        boolean floating = compute.isFloating();
        // the scalar rounded to the compute type, as the device interface says
        double sd = compute == ElementType.FLOAT32 ? (float) s : s;
        long sl = (long) s;
        cur.seek(from);
        for (long pos = from; pos < to; ) {
            int len = (int) Math.min(to - pos, cur.rowLength());
            int o = cur.offset(0);
            int a = arity > 0 ? cur.offset(1) : 0;
            int c = arity > 1 ? cur.offset(2) : 0;
            int d = arity > 2 ? cur.offset(3) : 0;
            for (int i = 0; i < len; i++) {
                if (op.isComparison()) {
                    boolean r = floating ? compare(op, CpuElements.getDouble(b[1], a),
                            arity > 1 ? CpuElements.getDouble(b[2], c) : sd)
                            : compare(op, CpuElements.getLong(b[1], a), arity > 1 ? CpuElements.getLong(b[2], c) : sl);
                    b[0].u8[o] = (byte) (r ? 1 : 0);
                } else if (op == ElementwiseOp.WHERE) {
                    if (b[1].u8[a] != 0) {
                        CpuElements.convert(b[2], c, b[0], o);
                    } else {
                        CpuElements.convert(b[3], d, b[0], o);
                    }
                } else if (arity == 1) {
                    CpuElements.setLong(b[0], o, unary(op, sl, CpuElements.getLong(b[1], a)));
                } else {
                    CpuElements.setLong(b[0], o, binary(op, CpuElements.getLong(b[1], a),
                            CpuElements.getLong(b[2], c)));
                }
                o += step[0];
                a += arity > 0 ? step[1] : 0;
                c += arity > 1 ? step[2] : 0;
                d += arity > 2 ? step[3] : 0;
            }
            pos += len;
            cur.advance(len);
        }
    }

    private static boolean compare(ElementwiseOp op, double x, double y) {
        return switch (op) {
            case GT, GT_SCALAR -> x > y;
            case GE, GE_SCALAR -> x >= y;
            case LT_SCALAR -> x < y;
            case LE_SCALAR -> x <= y;
            case EQ, EQ_SCALAR -> x == y;
            case NE, NE_SCALAR -> x != y;
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not a comparison");
        };
    }

    private static boolean compare(ElementwiseOp op, long x, long y) {
        return switch (op) {
            case GT, GT_SCALAR -> x > y;
            case GE, GE_SCALAR -> x >= y;
            case LT_SCALAR -> x < y;
            case LE_SCALAR -> x <= y;
            case EQ, EQ_SCALAR -> x == y;
            case NE, NE_SCALAR -> x != y;
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not a comparison");
        };
    }

    private static long unary(ElementwiseOp op, long s, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RELU -> Math.max(x, 0);
            case SIGN -> Long.signum(x);
            case ADD_SCALAR -> x + s;
            case MUL_SCALAR -> x * s;
            case RSUB_SCALAR -> s - x;
            case CLAMP_MIN -> Math.max(x, s);
            case CLAMP_MAX -> Math.min(x, s);
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not an integer unary op");
        };
    }

    private static long binary(ElementwiseOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not an integer binary op");
        };
    }
}
