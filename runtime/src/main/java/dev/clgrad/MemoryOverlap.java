package dev.clgrad;

import dev.clgrad.spi.Layout;

/**
 * PyTorch's refusals of in-place writes whose result would depend on the order elements are
 * written in (its {@code MemoryOverlap.cpp}): a written-to view with a broadcast (stride 0)
 * dimension, and an input that partly overlaps the written-to tensor. Overlaps that cannot be
 * decided cheaply (neither view dense) are allowed, as in PyTorch; the runtime then reads the
 * input from a private copy.
 */
final class MemoryOverlap {
    private MemoryOverlap() {
    }

    /** Throws when more than one element of {@code self} is one memory location. */
    static void checkNoInternalOverlap(String op, Tensor self) {
        Layout l = self.layout();
        if (l.isNonOverlappingAndDense()) {
            return;
        }
        for (int d = 0; d < l.dim(); d++) {
            if (l.strides()[d] == 0 && l.shape()[d] > 1) {
                throw new IllegalArgumentException(op + ": unsupported operation: more than one element of the "
                        + "written-to tensor refers to a single memory location (shape " + Shapes.str(l.shape())
                        + ", strides " + Shapes.str(l.strides()) + ": dimension " + d + " is broadcast). Please "
                        + "clone() the tensor before performing the operation.");
            }
        }
    }

    /** Throws when {@code input} and {@code self} share some elements but are not the same view. */
    static void checkNoPartialOverlap(String op, Tensor self, Tensor input) {
        if (self == input || self.buffer() != input.buffer() || self.numel() == 0 || input.numel() == 0) {
            return;
        }
        Layout a = self.layout();
        Layout b = input.layout();
        if (!a.isNonOverlappingAndDense() || !b.isNonOverlappingAndDense()) {
            return;
        }
        long aBegin = a.offset();
        long aEnd = aBegin + a.numel();
        long bBegin = b.offset();
        long bEnd = bBegin + b.numel();
        boolean full = aBegin == bBegin && aEnd == bEnd && java.util.Arrays.equals(a.strides(), b.strides());
        if (!full && aBegin < bEnd && bBegin < aEnd) {
            throw new IllegalArgumentException(op + ": unsupported operation: some elements of the input tensor "
                    + "and the written-to tensor refer to a single memory location. Please clone() the tensor before "
                    + "performing the operation. (input: shape " + Shapes.str(b.shape()) + ", strides "
                    + Shapes.str(b.strides()) + ", offset " + bBegin + "; written-to: shape " + Shapes.str(a.shape())
                    + ", strides " + Shapes.str(a.strides()) + ", offset " + aBegin + ")");
        }
    }
}
