package dev.clgrad.autograd;

/** Whether operations on this thread record the backward graph (PyTorch's grad mode). */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when new operations on this thread are recorded for backward. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets grad mode on this thread and returns the previous value. */
    public static boolean set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return previous;
    }
}
