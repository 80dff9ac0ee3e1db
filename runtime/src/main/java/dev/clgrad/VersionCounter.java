package dev.clgrad;

/**
 * Counts in-place modifications of a tensor; shared by a tensor, its views and its
 * {@code detach()}ed aliases (but not by {@code data()}, as in PyTorch).
 */
final class VersionCounter {
    private int value;

    int get() {
        return value;
    }

    void bump() {
        value++;
    }
}
