package dev.clgrad.it;

import dev.clgrad.it.SampleInputs.Input;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The cases of {@link DeviceParityTest}: every generated sample of every {@link OpInfo} row.
 *
 * <p>Inputs are drawn on the host from a {@link Random} seeded by the case's name, so every
 * run and every device sees the same values, and adding a case does not change the others.
 */
final class ParityCases {
    private ParityCases() {
    }

    /**
     * The largest single term a broadcast gradient sums (upstream in [-1, 1] times a local
     * derivative: {@code exp(2) ~ 7.4}, {@code d/dx x^2.5 ~ 9.9} at 2.5).
     */
    static final double GRAD_TERM_BOUND = 10;

    /** One parity case: an op and one of its samples. */
    record Case(OpInfo op, OpInfo.Sample sample) {
        List<Input> inputs() {
            return sample.inputs();
        }

        /** The op and its parameters: {@code sum_dim(dim=1, keepdim=true)}. */
        String label() {
            if (sample.params().isEmpty()) {
                return op.name();
            }
            return op.name() + sample.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ", "(", ")"));
        }

        /** What the inputs are: {@code [33, 17] and [17]}. */
        String description() {
            return inputs().stream().map(Input::description).collect(Collectors.joining(" and "));
        }

        /** Unique among the cases; seeds the case's values. */
        String id() {
            return label() + " on " + description();
        }

        OpInfo.Params params() {
            return new OpInfo.Params(sample.params());
        }

        /** A generator of the case's values, the same on every run. */
        Random random() {
            return new Random(id().hashCode());
        }
    }

    /** Every case, in table order. */
    static final List<Case> ALL = build();

    private static List<Case> build() {
        List<Case> cases = new ArrayList<>();
        for (OpInfo op : OpInfos.ALL.values()) {
            op.samples().forEach(s -> cases.add(new Case(op, s)));
        }
        return List.copyOf(cases);
    }
}
