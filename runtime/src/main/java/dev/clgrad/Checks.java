package dev.clgrad;

import java.util.List;

/** Argument checks of the public API: a null becomes an exception that names the op and the argument. */
final class Checks {
    private Checks() {
    }

    /** {@code value}, or a {@link NullPointerException} saying that {@code op}'s {@code arg} is null. */
    static <T> T notNull(T value, String op, String arg) {
        if (value == null) {
            throw new NullPointerException(op + ": argument '" + arg + "' is null");
        }
        return value;
    }

    /** {@code list} when neither it nor any element is null. */
    static <T> List<T> noNulls(List<T> list, String op, String arg) {
        notNull(list, op, arg);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new NullPointerException(op + ": element " + i + " of argument '" + arg + "' is null");
            }
        }
        return list;
    }
}
