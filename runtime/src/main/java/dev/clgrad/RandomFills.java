package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;

/** {@code uniform_} and {@code normal_}: refills from the global Philox generator, in place. */
final class RandomFills {
    private RandomFills() {
    }

    /** The values drawn do not depend on the old ones: their gradient is zero. */
    static final Formula UNIFORM = Formula.of("UniformBackward0", (c, g) -> new Tensor[] {g.newZeros(g.shape())});
    static final Formula NORMAL = Formula.of("NormalBackward0", (c, g) -> new Tensor[] {g.newZeros(g.shape())});

    static Tensor uniform(Tensor self, double from, double to) {
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_: expects to return a [from, to) range, but found from="
                    + from + " > to=" + to);
        }
        return fill("uniform_", self, RandomOp.UNIFORM, to - from, from, UNIFORM);
    }

    static Tensor normal(Tensor self, double mean, double std) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal_: expects std >= 0.0, but found std " + std);
        }
        return fill("normal_", self, RandomOp.NORMAL, std, mean, NORMAL);
    }

    /** {@code self = draw * scale + shift}, the draw written through a contiguous temporary when self is strided. */
    private static Tensor fill(String op, Tensor self, RandomOp random, double scale, double shift, Formula formula) {
        self.checkOpen(op);
        if (!self.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": \"" + op + "\" not implemented for '" + self.dtype().pyName()
                    + "'; draw floats");
        }
        MemoryOverlap.checkNoInternalOverlap(op, self);
        long[] at = Generator.reserve(random, self.dtype(), self.numel());
        return InPlace.apply(op, self, formula, new Tensor[0], new double[] {scale, shift}, () -> {
            if (self.numel() == 0) {
                return;
            }
            View target = self.view();
            self.backend().random(random, at[0], at[1], target);
            self.backend().elementwise(ElementwiseOp.MUL_SCALAR, scale, target, target);
            self.backend().elementwise(ElementwiseOp.ADD_SCALAR, shift, target, target);
        });
    }
}
