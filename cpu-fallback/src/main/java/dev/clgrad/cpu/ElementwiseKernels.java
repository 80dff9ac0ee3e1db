package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The elementwise primitive: picks a path from the layouts and hands rows to
 * {@link ElementwiseF32} or {@link ElementwiseF64}.
 *
 * <p>Paths: when the output is contiguous and every input is contiguous or one broadcast
 * element, the whole call is one row (split into ranges across threads when large); otherwise
 * a {@link StridedCursor} walks the output shape and hands over one row at a time, so broadcast
 * rows ({@code [M, N] + [N]}) still take the unit-step loops.
 *
 * <p>The scalar of the scalar ops is first rounded to the dtype, as PyTorch does when it
 * combines a float32 tensor with a Python number.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** Runs the primitive; the backend has checked arity, shapes, dtypes and bounds. */
    static void run(CpuParallel par, ElementwiseOp op, double scalar, View out, View[] in) {
        Layout ol = out.layout();
        long n = ol.numel();
        if (n == 0) {
            return;
        }
        int arity = in.length;
        CpuBuffer ob = (CpuBuffer) out.buffer();
        if (ElementwiseGeneric.takes(op, ob.dtype)) {
            ElementwiseGeneric.run(par, op, scalar, out, in);
            return;
        }
        boolean split = par.worthSplitting(n, cost(op));
        boolean flat = ol.isContiguous();
        for (int k = 0; k < arity && flat; k++) {
            flat = in[k].layout().isContiguous() || isOneElement(in[k].layout());
        }
        if (flat) {
            int oo = (int) ol.offset();
            int ao = arity > 0 ? (int) in[0].layout().offset() : 0;
            int bo = arity > 1 ? (int) in[1].layout().offset() : 0;
            int co = arity > 2 ? (int) in[2].layout().offset() : 0;
            int as = arity > 0 ? unitOrZero(in[0].layout(), n) : 0;
            int bs = arity > 1 ? unitOrZero(in[1].layout(), n) : 0;
            int cs = arity > 2 ? unitOrZero(in[2].layout(), n) : 0;
            if (!split) {
                flatRange(op, scalar, ob, in, 0, (int) n, oo, ao, as, bo, bs, co, cs);
            } else {
                par.forRange(n, 1024, (from, to) -> flatRange(op, scalar, ob, in, (int) from, (int) to,
                        oo, ao, as, bo, bs, co, cs));
            }
            return;
        }
        long[][] strides = new long[arity + 1][];
        long[] offsets = new long[arity + 1];
        strides[0] = ol.strides();
        offsets[0] = ol.offset();
        for (int k = 0; k < arity; k++) {
            strides[k + 1] = in[k].layout().strides();
            offsets[k + 1] = in[k].layout().offset();
        }
        StridedCursor cursor = StridedCursor.of(ol.shape(), strides, offsets);
        if (!split) {
            strided(op, scalar, ob, in, cursor, 0, n);
        } else {
            par.forRange(n, 1, (from, to) -> strided(op, scalar, ob, in, cursor.copy(), from, to));
        }
    }

    private static int cost(ElementwiseOp op) {
        return switch (op) {
            case EXP, LOG, SIN, COS, TANH, SIGMOID, POW, POW_SCALAR, RPOW_SCALAR, LOG1P, EXPM1, ERF, GELU,
                 GELU_BACKWARD ->
                    CpuParallel.COST_TRANSCENDENTAL;
            default -> CpuParallel.COST_STREAM;
        };
    }

    private static boolean isOneElement(Layout l) {
        long[] shape = l.shape();
        long[] strides = l.strides();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1 && strides[d] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Step of a flat input: 1 when it walks memory, 0 when it repeats one element. */
    private static int unitOrZero(Layout l, long n) {
        return n > 1 && isOneElement(l) ? 0 : 1;
    }

    private static void flatRange(ElementwiseOp op, double scalar, CpuBuffer ob, View[] in, int from, int to,
                                  int oo, int ao, int as, int bo, int bs, int co, int cs) {
        int arity = in.length;
        if (ob.dtype == ElementType.FLOAT32) {
            ElementwiseF32.row(op, (float) scalar, to - from, ob.f32, oo + from,
                    1, arity > 0 ? buf(in[0]).f32 : null, ao + from * as, as,
                    arity > 1 ? buf(in[1]).f32 : null, bo + from * bs, bs,
                    arity > 2 ? buf(in[2]).f32 : null, co + from * cs, cs);
        } else {
            ElementwiseF64.row(op, scalar, to - from, ob.f64, oo + from,
                    1, arity > 0 ? buf(in[0]).f64 : null, ao + from * as, as,
                    arity > 1 ? buf(in[1]).f64 : null, bo + from * bs, bs,
                    arity > 2 ? buf(in[2]).f64 : null, co + from * cs, cs);
        }
    }

    private static void strided(ElementwiseOp op, double scalar, CpuBuffer ob, View[] in,
                                StridedCursor cur, long from, long to) {
        int arity = in.length;
        boolean f32 = ob.dtype == ElementType.FLOAT32;
        float[] a32 = arity > 0 && f32 ? buf(in[0]).f32 : null;
        float[] b32 = arity > 1 && f32 ? buf(in[1]).f32 : null;
        float[] c32 = arity > 2 && f32 ? buf(in[2]).f32 : null;
        double[] a64 = arity > 0 && !f32 ? buf(in[0]).f64 : null;
        double[] b64 = arity > 1 && !f32 ? buf(in[1]).f64 : null;
        double[] c64 = arity > 2 && !f32 ? buf(in[2]).f64 : null;
        int os = cur.innerStride(0);
        int as = arity > 0 ? cur.innerStride(1) : 0;
        int bs = arity > 1 ? cur.innerStride(2) : 0;
        int cs = arity > 2 ? cur.innerStride(3) : 0;
        cur.seek(from);
        for (long pos = from; pos < to; ) {
            int len = (int) Math.min(to - pos, cur.rowLength());
            int ao = arity > 0 ? cur.offset(1) : 0;
            int bo = arity > 1 ? cur.offset(2) : 0;
            int co = arity > 2 ? cur.offset(3) : 0;
            if (f32) {
                ElementwiseF32.row(op, (float) scalar, len, ob.f32, cur.offset(0), os,
                        a32, ao, as, b32, bo, bs, c32, co, cs);
            } else {
                ElementwiseF64.row(op, scalar, len, ob.f64, cur.offset(0), os,
                        a64, ao, as, b64, bo, bs, c64, co, cs);
            }
            pos += len;
            cur.advance(len);
        }
    }

    private static CpuBuffer buf(View v) {
        return (CpuBuffer) v.buffer();
    }

    /** The scalar op computing {@code op(x, s)} for a broadcast right operand {@code s}, or null. */
    static ElementwiseOp withScalarRight(ElementwiseOp op) {
        return switch (op) {
            case ADD, SUB -> ElementwiseOp.ADD_SCALAR; // x - s is exactly x + (-s) in IEEE 754
            case MUL -> ElementwiseOp.MUL_SCALAR;
            case DIV -> ElementwiseOp.DIV_SCALAR;
            case POW -> ElementwiseOp.POW_SCALAR;
            default -> null;
        };
    }

    /** The scalar op computing {@code op(s, x)} for a broadcast left operand {@code s}, or null. */
    static ElementwiseOp withScalarLeft(ElementwiseOp op) {
        return switch (op) {
            case ADD -> ElementwiseOp.ADD_SCALAR;
            case SUB -> ElementwiseOp.RSUB_SCALAR;
            case MUL -> ElementwiseOp.MUL_SCALAR;
            case DIV -> ElementwiseOp.RDIV_SCALAR;
            case POW -> ElementwiseOp.RPOW_SCALAR;
            default -> null;
        };
    }

    /** A unary or scalar op on one value, in double. */
    static double unary(ElementwiseOp op, double s, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> Math.max(x, 0.0);
            case SIGN -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case ADD_SCALAR -> x + s;
            case MUL_SCALAR -> x * s;
            case RSUB_SCALAR -> s - x;
            case DIV_SCALAR -> x / s;
            case RDIV_SCALAR -> s / x;
            case POW_SCALAR -> pow(x, s);
            case RPOW_SCALAR -> pow(s, x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case ERF -> Erf.erf(x);
            case GELU -> Erf.gelu(x, false);
            case CLAMP_MIN -> Math.max(x, s);
            case CLAMP_MAX -> Math.min(x, s);
            case LEAKY_RELU -> x > 0 ? x : x * s;
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not a unary op");
        };
    }

    /**
     * C's {@code pow}, which PyTorch and OpenCL follow, where Java's differs: {@code 1^y} is 1 and
     * {@code (-1)^(+-inf)} is 1 for every y, NaN included (Java gives NaN).
     */
    static double pow(double x, double y) {
        if (x == 1.0 || (x == -1.0 && Double.isInfinite(y))) {
            return 1.0;
        }
        return Math.pow(x, y);
    }

    /** A ternary floating op on three values, in double. */
    static double ternary(ElementwiseOp op, double s, double a, double b, double c) {
        return switch (op) {
            case ADDCMUL -> a + s * b * c;
            case ADDCDIV -> a + s * b / c;
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not a ternary floating op");
        };
    }

    /** A binary op on two values, in double. */
    static double binary(ElementwiseOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case THRESHOLD_BACKWARD -> b <= 0 ? 0.0 : a;
            case GELU_BACKWARD -> Erf.geluBackward(a, b, false);
            default -> throw new IllegalArgumentException("elementwise: " + op + " is not a binary op");
        };
    }
}
