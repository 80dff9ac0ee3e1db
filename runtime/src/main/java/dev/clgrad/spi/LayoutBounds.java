package dev.clgrad.spi;

/**
 * The argument checks every backend makes on a view before touching memory: one stride per
 * dimension, no negative size, and every element inside the buffer. A backend that skipped them
 * would read or write outside its buffers (on a device: corrupt memory or crash the driver).
 */
public final class LayoutBounds {
    private LayoutBounds() {
    }

    /**
     * Throws {@link IllegalArgumentException} naming {@code what} (the primitive and op) and
     * {@code role} (which operand) unless {@code l} is well formed and lies in
     * {@code [0, capacity)}. Message parts are joined only on failure: this runs on every call.
     */
    public static void check(String what, String role, Layout l, long capacity) {
        long[] shape = l.shape();
        long[] strides = l.strides();
        if (shape == null || strides == null || shape.length != strides.length) {
            throw new IllegalArgumentException(what + ": " + role + " " + l + " needs one stride per dimension");
        }
        long lo = l.offset();
        long hi = l.offset();
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException(what + ": " + role + " " + l + " has a negative size");
            }
            empty |= shape[d] == 0;
            long reach = (shape[d] - 1) * strides[d];
            if (reach < 0) {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if (!empty && (lo < 0 || hi >= capacity)) {
            throw new IllegalArgumentException(what + ": " + role + " " + l + " reaches elements [" + lo + ", " + hi
                    + "] outside its buffer of " + capacity + " elements");
        }
    }
}
