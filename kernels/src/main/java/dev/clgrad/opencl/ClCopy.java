package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;

/** The copy, fill and random primitives ({@code copy.cl}, {@code random.cl}). */
final class ClCopy {
    private ClCopy() {
    }

    private static String sfx(ElementType t) {
        return ClBackend.suffix(t);
    }

    static void copy(ClBackend be, View src, View dst) {
        if (dst.layout().numel() == 0) {
            return;
        }
        ElementType st = ((ClBuffer) src.buffer()).dtype;
        ElementType dt = ((ClBuffer) dst.buffer()).dtype;
        String pair = sfx(st) + "_" + sfx(dt);
        ClShape geo = ClShape.of(src.layout(), dst.layout());
                if (geo.isDense(0) && geo.isDense(1)) {
            long n = dst.layout().numel();
            be.launch(be.kernel("copy.cl", "copy_" + pair), "copy", new long[] {n}, be.strategy().groupFor(n),
                    src.buffer(), src.layout().offset(), dst.buffer(), dst.layout().offset(), n);
            return;
        }
        geo.split(g -> {
            long n = g.numel();
            be.launch(be.kernel("copy.cl", "copy_strided_" + pair), "copy", new long[] {n}, be.strategy().groupFor(n),
                    src.buffer(), g.offsets()[0], g.strides8(0), dst.buffer(), g.offsets()[1], g.strides8(1),
                    g.shape8(), g.rank(), n);
        });
    }

    static void fill(ClBackend be, View dst, double value) {
        if (dst.layout().numel() == 0) {
            return;
        }
        ElementType dt = ((ClBuffer) dst.buffer()).dtype;
        Object v = ClBackend.scalarArg(dt, value);
        ClShape geo = ClShape.of(dst.layout());
                if (geo.isDense(0)) {
            long n = dst.layout().numel();
            be.launch(be.kernel("copy.cl", "fill_" + sfx(dt)), "fill", new long[] {n}, be.strategy().groupFor(n),
                    dst.buffer(), dst.layout().offset(), v, n);
            return;
        }
        geo.split(g -> {
            long n = g.numel();
            be.launch(be.kernel("copy.cl", "fill_strided_" + sfx(dt)), "fill", new long[] {n}, be.strategy().groupFor(n),
                    dst.buffer(), g.offsets()[0], g.strides8(0), g.shape8(), g.rank(), v, n);
        });
    }

    /** Draws into a contiguous destination directly, else into a scratch buffer copied into place. */
    static void random(ClBackend be, RandomOp op, long seed, long offset, View dst) {
        long n = dst.layout().numel();
        if (n == 0) {
            return;
        }
        ElementType dt = ((ClBuffer) dst.buffer()).dtype;
        String name = (op == RandomOp.UNIFORM ? "uniform_" : "normal_") + sfx(dt);
        long groups = Philox.groups(op, dt, n);
                if (dst.layout().isContiguous()) {
            be.launch(be.kernel("random.cl", name), "random " + op, new long[] {groups}, be.strategy().groupFor(groups),
                    dst.buffer(), dst.layout().offset(), n, seed, offset);
            return;
        }
        ClBuffer tmp = be.scratch(dt, n);
        try {
            be.launch(be.kernel("random.cl", name), "random " + op, new long[] {groups},
                    be.strategy().groupFor(groups), tmp, 0L, n, seed, offset);
            copy(be, new View(tmp, Layout.contiguous(dst.layout().shape())), dst);
        } finally {
            be.release(tmp);
        }
    }
}
