package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

import java.util.Locale;

/**
 * The elementwise primitive: {@code <op>_<dtype>} when every view is dense and in the same
 * order, {@code <op>_strided1_<dtype>} when the views' merged geometry (see {@link ClShape}) has
 * one dimension, else {@code <op>_strided_<dtype>}.
 * Unused input slots of the shared kernel signature are bound to the output and never read.
 */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";

    private ClElementwise() {
    }

    static void run(ClBackend be, ElementwiseOp op, double scalar, View out, View[] in) {
        long n = out.layout().numel();
        if (n == 0) {
            return;
        }
        // a comparison is built for its inputs' type (it writes bool); the others for the output's
        ElementType dtype = op.isComparison() ? ((ClBuffer) in[0].buffer()).dtype : ((ClBuffer) out.buffer()).dtype;
        String base = op.name().toLowerCase(Locale.ROOT);
        String sfx = ClBackend.suffix(dtype);
        Object s = ClBackend.scalarArg(dtype, scalar);
        Layout[] layouts = new Layout[in.length + 1];
        layouts[0] = out.layout();
        for (int k = 0; k < in.length; k++) {
            layouts[k + 1] = in[k].layout();
        }
        ClShape geo = ClShape.of(layouts);
        boolean dense = true;
        for (int v = 0; v < layouts.length && dense; v++) {
            dense = geo.isDense(v);
        }
        if (dense) {
            Object[] args = new Object[10];
            args[0] = out.buffer();
            args[1] = out.layout().offset();
            for (int k = 0; k < 3; k++) {
                boolean used = k < in.length;
                args[2 + 2 * k] = used ? in[k].buffer() : out.buffer();
                args[3 + 2 * k] = used ? in[k].layout().offset() : 0L;
            }
            args[8] = s;
            args[9] = n;
            be.launch(be.kernel(FILE, dtype, base + "_" + sfx), "elementwise " + op, new long[] {n},
                    be.strategy().groupFor(n), args);
            return;
        }
        if (geo.rank() == 1) {
            Object[] args = new Object[14];
            args[0] = out.buffer();
            args[1] = geo.offsets()[0];
            args[2] = geo.strides()[0][0];
            for (int k = 0; k < 3; k++) {
                boolean used = k < in.length;
                args[3 + 3 * k] = used ? in[k].buffer() : out.buffer();
                args[4 + 3 * k] = used ? geo.offsets()[k + 1] : 0L;
                args[5 + 3 * k] = used ? geo.strides()[k + 1][0] : 0L;
            }
            args[12] = s;
            args[13] = n;
            be.launch(be.kernel(FILE, dtype, base + "_strided1_" + sfx), "elementwise " + op, new long[] {n},
                    be.strategy().groupFor(n), args);
            return;
        }
        if (geo.rank() == 2) {
            long n0 = geo.shape()[0];
            long n1 = geo.shape()[1];
            Object[] args = new Object[20];
            args[0] = out.buffer();
            args[1] = geo.offsets()[0];
            args[2] = geo.strides()[0][0];
            args[3] = geo.strides()[0][1];
            for (int k = 0; k < 3; k++) {
                boolean used = k < in.length;
                args[4 + 4 * k] = used ? in[k].buffer() : out.buffer();
                args[5 + 4 * k] = used ? geo.offsets()[k + 1] : 0L;
                args[6 + 4 * k] = used ? geo.strides()[k + 1][0] : 0L;
                args[7 + 4 * k] = used ? geo.strides()[k + 1][1] : 0L;
            }
            args[16] = s;
            args[17] = n0;
            args[18] = n1;
            be.launch(be.kernel(FILE, dtype, base + "_strided2_" + sfx), "elementwise " + op, new long[] {n1, n0},
                    new long[] {be.strategy().groupFor(n1)[0], 1}, java.util.Arrays.copyOf(args, 19));
            return;
        }
        String name = base + "_strided_" + sfx;
        geo.split(g -> {
            long count = g.numel();
            Object[] args = new Object[16];
            args[0] = out.buffer();
            args[1] = g.offsets()[0];
            args[2] = g.strides8(0);
            for (int k = 0; k < 3; k++) {
                boolean used = k < in.length;
                args[3 + 3 * k] = used ? in[k].buffer() : out.buffer();
                args[4 + 3 * k] = used ? g.offsets()[k + 1] : 0L;
                args[5 + 3 * k] = used ? g.strides8(k + 1) : new long[ClShape.MAX_RANK];
            }
            args[12] = g.shape8();
            args[13] = g.rank();
            args[14] = s;
            args[15] = count;
            be.launch(be.kernel(FILE, dtype, name), "elementwise " + op, new long[] {count},
                    be.strategy().groupFor(count), args);
        });
    }
}
