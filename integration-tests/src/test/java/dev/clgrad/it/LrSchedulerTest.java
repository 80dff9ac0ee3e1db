package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.optim.CosineAnnealingLR;
import dev.clgrad.optim.LRScheduler;
import dev.clgrad.optim.Optimizer;
import dev.clgrad.optim.SGD;
import dev.clgrad.optim.StepLR;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StepLR and CosineAnnealingLR against PyTorch 1.13 ({@code golden/optim.txt}): every learning
 * rate equal as a double, bit for bit, including the constructor's step, the epochs past
 * {@code tMax} and two schedulers chained on one optimizer.
 */
class LrSchedulerTest {
    static Stream<Named<Fixtures.Record>> schedules() {
        return OptimizerTest.RECORDS.stream().filter(r -> r.id().startsWith("sched/"))
                .map(r -> Named.of(r.id().substring("sched/".length()), r));
    }

    private static SGD optimizer(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad_()), lr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void learning_rates_equal_pytorchs_bit_for_bit(Fixtures.Record r) {
        Map<String, String> p = r.params();
        SGD opt = optimizer(Double.parseDouble(p.get("base_lr")));
        List<String> want = r.all("lr");
        List<Double> got = new ArrayList<>();
        List<LRScheduler> schedulers = new ArrayList<>();
        switch (r.get("scheduler")) {
            case "StepLR" -> schedulers.add(p.containsKey("gamma")
                    ? new StepLR(opt, Integer.parseInt(p.get("step_size")), Double.parseDouble(p.get("gamma")))
                    : new StepLR(opt, Integer.parseInt(p.get("step_size"))));
            case "CosineAnnealingLR" -> schedulers.add(new CosineAnnealingLR(opt, Integer.parseInt(p.get("T_max")),
                    Double.parseDouble(p.get("eta_min"))));
            case "chained" -> {
                schedulers.add(new StepLR(opt, 3, 0.5));
                schedulers.add(new CosineAnnealingLR(opt, 10, 0.001));
            }
            default -> throw new IllegalArgumentException(r.id());
        }
        got.add(opt.lr());
        for (int i = 1; i < want.size(); i++) {
            for (LRScheduler s : schedulers) {
                s.step();
            }
            got.add(opt.lr());
            assertEquals(opt.lr(), schedulers.get(schedulers.size() - 1).lastLr());
        }
        for (int i = 0; i < want.size(); i++) {
            assertEquals(Double.parseDouble(want.get(i)), got.get(i), r.id() + ": lr at epoch " + i
                    + " (all: " + got + ")");
        }
    }

    @Test
    void the_constructor_steps_once_and_records_initial_lr_in_the_optimizer() {
        SGD opt = optimizer(0.1);
        opt.setLr(0.2);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 4);
        assertEquals(0, s.lastEpoch());
        assertEquals(0.2, s.lastLr());
        assertEquals(0.2, opt.stateDict().get("param_groups.0.initial_lr").item());
        s.step();
        assertEquals(1, s.lastEpoch());
        assertTrue(opt.lr() < 0.2);
        // a second scheduler takes its base rate from initial_lr, not from the current rate
        StepLR step = new StepLR(opt, 1, 0.5);
        assertEquals(0.2, opt.stateDict().get("param_groups.0.initial_lr").item());
        assertEquals(opt.lr(), step.lastLr());
    }

    @Test
    void resuming_with_last_epoch_uses_pytorchs_closed_form_first_step() {
        // PyTorch: CosineAnnealingLR(opt, T_max=10, eta_min=0.001, last_epoch=4) on an optimizer whose
        // initial_lr is 0.1 gives eta_min + (base - eta_min) * (1 + cos(5 * pi / 10)) / 2 first
        SGD opt = optimizer(0.1);
        new StepLR(opt, 100, 1.0); // records initial_lr 0.1
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 10, 0.001, 4);
        assertEquals(5, s.lastEpoch());
        assertEquals(0.001 + (0.1 - 0.001) * (1 + Math.cos(5 * Math.PI / 10)) / 2, opt.lr());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StepLR(optimizer(0.1), 3, 0.5, 7));
        assertTrue(e.getMessage().startsWith("param 'initial_lr' is not specified in param_groups[0] when resuming "
                + "an optimizer"), e.getMessage());
    }

    @Test
    void non_positive_periods_are_rejected() {
        Optimizer opt = optimizer(0.1);
        assertEquals("StepLR: stepSize must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.5)).getMessage());
        assertEquals("CosineAnnealingLR: tMax must be positive, got -3",
                assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, -3, 0)).getMessage());
    }
}
