package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.io.Safetensors;
import dev.clgrad.optim.Adam;
import dev.clgrad.optim.AdamW;
import dev.clgrad.optim.Optimizer;
import dev.clgrad.optim.SGD;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.clgrad.it.Assertions2.assertValuesClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SGD, Adam and AdamW against PyTorch 1.13 ({@code golden/optim.txt}, recorded by
 * {@code tools/golden/record_optim.py}): 20-step trajectories of a small float64 model and the
 * final state on every device, resuming from a state dict, no host transfers during a step,
 * the zero_grad and skip rules, state ownership under a user's scope, and PyTorch's messages.
 */
@ExtendWith(OnDevice.class)
class OptimizerTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";
    private static final double RTOL = 1e-10;
    private static final double ATOL = 1e-14;
    static final List<Fixtures.Record> RECORDS = Fixtures.load("optim.txt");

    static Stream<Arguments> devicesAndConfigs() {
        List<Arguments> out = new ArrayList<>();
        for (Device d : TestDevices.all()) {
            for (Fixtures.Record r : RECORDS) {
                if (r.id().startsWith("optim/")) {
                    out.add(Arguments.of(d, Named.of(r.id().substring("optim/".length()), r)));
                }
            }
        }
        return out.stream();
    }

    /** The fixture's model on the current default device. */
    static final class Model {
        final Tensor w;
        final Tensor b;
        final Tensor x;
        final Tensor y;

        Model(Fixtures.Record r, Device d) {
            Map<String, Fixtures.TensorSpec> in = inputs(r);
            w = in.get("W").create(d).requiresGrad_();
            b = in.get("b").create(d).requiresGrad_();
            x = in.get("X").create(d);
            y = in.get("Y").create(d);
        }

        List<Tensor> params() {
            return List.of(w, b);
        }

        /** {@code ((X @ W.T + b).tanh() - Y).pow(2).mean()}, backward, in a scope of its own. */
        void backward() {
            try (var s = TensorScope.open()) {
                x.matmul(w.t()).add(b).tanh().sub(y).pow(2).mean().backward();
            }
        }

        void train(Optimizer opt, int steps) {
            for (int i = 0; i < steps; i++) {
                opt.zeroGrad();
                backward();
                opt.step();
            }
        }
    }

    static Map<String, Fixtures.TensorSpec> inputs(Fixtures.Record r) {
        Map<String, Fixtures.TensorSpec> in = new TreeMap<>();
        for (String line : r.all("input")) {
            int sp = line.indexOf(' ');
            in.put(line.substring(0, sp), Fixtures.tensor(line.substring(sp + 1)));
        }
        return in;
    }

    /** The optimizer a fixture describes, built with the chained setters. */
    static Optimizer build(Fixtures.Record r, List<Tensor> params) {
        Map<String, String> p = r.params();
        double lr = Double.parseDouble(p.get("lr"));
        Function<String, Double> num = k -> p.containsKey(k) ? Double.parseDouble(p.get(k)) : null;
        Function<String, Boolean> flag = k -> Boolean.parseBoolean(p.getOrDefault(k, "false"));
        switch (r.get("optimizer")) {
            case "SGD": {
                SGD sgd = new SGD(params, lr);
                if (num.apply("momentum") != null) {
                    sgd.momentum(num.apply("momentum"));
                }
                if (num.apply("dampening") != null) {
                    sgd.dampening(num.apply("dampening"));
                }
                if (num.apply("weight_decay") != null) {
                    sgd.weightDecay(num.apply("weight_decay"));
                }
                return sgd.nesterov(flag.apply("nesterov")).maximize(flag.apply("maximize"));
            }
            case "Adam": {
                Adam adam = new Adam(params, lr).amsgrad(flag.apply("amsgrad")).maximize(flag.apply("maximize"));
                if (num.apply("betas.0") != null) {
                    adam.betas(num.apply("betas.0"), num.apply("betas.1"));
                }
                if (num.apply("eps") != null) {
                    adam.eps(num.apply("eps"));
                }
                if (num.apply("weight_decay") != null) {
                    adam.weightDecay(num.apply("weight_decay"));
                }
                return adam;
            }
            case "AdamW": {
                AdamW adamw = new AdamW(params, lr).amsgrad(flag.apply("amsgrad")).maximize(flag.apply("maximize"));
                if (num.apply("betas.0") != null) {
                    adamw.betas(num.apply("betas.0"), num.apply("betas.1"));
                }
                if (num.apply("eps") != null) {
                    adamw.eps(num.apply("eps"));
                }
                if (num.apply("weight_decay") != null) {
                    adamw.weightDecay(num.apply("weight_decay"));
                }
                return adamw;
            }
            default:
                throw new IllegalArgumentException("unknown optimizer in " + r);
        }
    }

    private static void needFloat64(Device d) {
        Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64; the trajectories are float64");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndConfigs")
    void parameters_follow_pytorchs_trajectory_for_20_steps_and_end_in_its_state(Device d, Fixtures.Record r) {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            needFloat64(d);
            OnDevice.use(d);
            Model m = new Model(r, d);
            Optimizer opt = build(r, m.params());
            List<String> ws = r.all("W");
            List<String> bs = r.all("b");
            assertEquals(20, ws.size());
            for (int step = 0; step < ws.size(); step++) {
                m.train(opt, 1);
                assertValuesClose(Fixtures.tensor(ws.get(step)).data(), m.w.toDoubleArray(), RTOL, ATOL,
                        r.id() + " W after step " + (step + 1));
                assertValuesClose(Fixtures.tensor(bs.get(step)).data(), m.b.toDoubleArray(), RTOL, ATOL,
                        r.id() + " b after step " + (step + 1));
            }
            Map<String, Tensor> sd = opt.stateDict();
            List<String> expectedKeys = new ArrayList<>();
            for (String line : r.all("state")) {
                int sp = line.indexOf(' ');
                String key = line.substring(0, sp);
                expectedKeys.add(key);
                Fixtures.TensorSpec want = Fixtures.tensor(line.substring(sp + 1));
                Tensor got = sd.get(key);
                assertArrayEquals(want.shape(), got.shape(), key);
                assertEquals(want.dtype(), got.dtype(), key);
                assertValuesClose(want.data(), got.toDoubleArray(), RTOL, ATOL, r.id() + " " + key);
            }
            List<String> stateKeys = sd.keySet().stream().filter(k -> k.startsWith("state.")).toList();
            assertEquals(expectedKeys, stateKeys, "state keys and their order, as PyTorch's state_dict()['state']");
            for (Map.Entry<String, Tensor> e : sd.entrySet()) {
                if (e.getKey().startsWith("state.") && !e.getKey().endsWith(".step")) {
                    assertSame(d, e.getValue().device(), e.getKey() + " lives on the parameter's device");
                }
            }
            assertEquals(Double.parseDouble(r.params().get("lr")), sd.get("param_groups.0.lr").item());
            opt.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndConfigs")
    void a_new_optimizer_loading_the_state_dict_after_10_steps_continues_as_20_straight_steps(Device d,
            Fixtures.Record r, @TempDir Path dir) throws IOException {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            needFloat64(d);
            OnDevice.use(d);
            Model straight = new Model(r, d);
            Optimizer straightOptimizer = build(r, straight.params());
            straight.train(straightOptimizer, 20);
            straightOptimizer.close();

            Model resumed = new Model(r, d);
            Optimizer first = build(r, resumed.params());
            resumed.train(first, 10);
            Path file = dir.resolve("optim.safetensors");
            Safetensors.save(first.stateDict(), file); // the format survives a file
            Map<String, Tensor> loaded = Safetensors.load(file, Device.cpu());
            // a plain optimizer of the same kind: loading restores lr and every hyperparameter
            Optimizer second = switch (r.get("optimizer")) {
                case "SGD" -> new SGD(resumed.params(), 123.0);
                case "Adam" -> new Adam(resumed.params(), 123.0);
                default -> new AdamW(resumed.params(), 123.0);
            };
            second.loadStateDict(loaded);
            assertEquals(first.lr(), second.lr());
            resumed.train(second, 10);

            assertArrayEquals(straight.w.toDoubleArray(), resumed.w.toDoubleArray(), r.id() + " W, bit for bit");
            assertArrayEquals(straight.b.toDoubleArray(), resumed.b.toDoubleArray(), r.id() + " b, bit for bit");
            List<String> ws = r.all("W");
            assertValuesClose(Fixtures.tensor(ws.get(19)).data(), resumed.w.toDoubleArray(), RTOL, ATOL, "W vs PyTorch");
            first.close();
            second.close();
        }
    }

    static Stream<Named<Device>> openCLDevices() {
        return OpenCLExecutionTest.openCLDevices();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void step_reads_nothing_back_from_and_writes_nothing_to_the_device(Device d) {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            Assumptions.assumeTrue(d != null, TestDevices::noOpenCLMessage);
            OnDevice.use(d);

            Tensor w = Tensor.randn(8, 5).requiresGrad_();
            Tensor b = Tensor.zeros(8).requiresGrad_();
            Tensor x = Tensor.randn(16, 5);
            List<Tensor> ps = List.of(w, b);
            for (Optimizer opt : List.of(new SGD(ps, 0.1).momentum(0.9).nesterov(true).weightDecay(1e-3),
                    new Adam(ps, 1e-2).amsgrad(true).weightDecay(1e-2), new AdamW(ps, 1e-2).amsgrad(true))) {
                for (int i = 0; i < 3; i++) { // the first step creates the state
                    opt.zeroGrad();
                    x.matmul(w.t()).add(b).tanh().pow(2).mean().backward();
                    d.synchronize();
                    long reads = d.counters().hostReads();
                    long writes = d.counters().hostWrites();
                    opt.step();
                    d.synchronize();
                    assertEquals(reads, d.counters().hostReads(), opt.getClass().getSimpleName()
                            + ": device-to-host reads during step " + (i + 1));
                    assertEquals(writes, d.counters().hostWrites(), opt.getClass().getSimpleName()
                            + ": host-to-device writes during step " + (i + 1));
                }
                opt.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void zero_grad_before_any_backward_is_a_no_op_and_after_it_zeroes_the_same_grad_in_place(Device d) {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            OnDevice.use(d);
            Tensor w = Tensor.of(1.0, 2.0).requiresGrad_();
            for (Optimizer opt : List.of(new SGD(List.of(w), 0.1), new Adam(List.of(w)), new AdamW(List.of(w)))) {
                opt.zeroGrad();
                assertNull(w.grad(), "zeroGrad() leaves a missing gradient missing");
                opt.step();
                assertArrayEquals(new double[] {1, 2}, w.toDoubleArray(), "a step without gradients changes nothing");
                assertFalse(opt.stateDict().keySet().stream().anyMatch(k -> k.startsWith("state.")));
                opt.close();
            }
            w.mul(w).sum().backward();
            Tensor grad = w.grad();
            new SGD(List.of(w), 0.1).zeroGrad();
            assertSame(grad, w.grad(), "zeroGrad() zeroes in place (set_to_none=False in 1.13)");
            assertArrayEquals(new double[] {0, 0}, grad.toDoubleArray());
            new SGD(List.of(w), 0.1).zeroGrad(true);
            assertNull(w.grad());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void step_skips_parameters_without_a_gradient_and_makes_no_state_for_them(Device d) {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            OnDevice.use(d);
            Tensor used = Tensor.of(1.0, -2.0).requiresGrad_();
            Tensor unused = Tensor.of(3.0, 4.0).requiresGrad_();
            for (Optimizer opt : List.of(new SGD(List.of(used, unused), 0.1).momentum(0.9),
                    new Adam(List.of(used, unused), 0.1), new AdamW(List.of(used, unused), 0.1))) {
                opt.zeroGrad();
                used.pow(2).sum().backward();
                opt.step();
                assertArrayEquals(new double[] {3, 4}, unused.toDoubleArray(), opt.getClass().getSimpleName());
                Map<String, Tensor> sd = opt.stateDict();
                assertTrue(sd.keySet().stream().anyMatch(k -> k.startsWith("state.0.")), sd.keySet().toString());
                assertFalse(sd.keySet().stream().anyMatch(k -> k.startsWith("state.1.")), sd.keySet().toString());
                opt.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_users_scope_around_step_closes_neither_optimizer_state_nor_leaves_temporaries(Device d)
            throws InterruptedException {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            OnDevice.use(d);
            Tensor w = Tensor.randn(64, 32).requiresGrad_();
            Tensor x = Tensor.randn(16, 32);
            List<Optimizer> opts = List.of(new SGD(List.of(w), 0.01).momentum(0.9), new Adam(List.of(w), 1e-3)
                    .amsgrad(true).weightDecay(0.1), new AdamW(List.of(w), 1e-3).amsgrad(true));
            for (Optimizer opt : opts) {
                try (var user = TensorScope.open()) { // the state is created inside the user's scope
                    opt.zeroGrad();
                    x.matmul(w.t()).pow(2).mean().backward();
                    opt.step();
                }
            }
            long before = TestDevices.settledLiveBytes(d);
            for (Optimizer opt : opts) {
                for (int i = 0; i < 3; i++) {
                    try (var user = TensorScope.open()) {
                        opt.zeroGrad();
                        x.matmul(w.t()).pow(2).mean().backward();
                    }
                    opt.step(); // would throw on a closed momentum buffer or moment
                }
            }
            d.synchronize();
            // garbage of other tests can only lower this; a temporary step() forgot to close raises it
            assertTrue(d.memoryStats().liveBytes() <= before, "live bytes after 9 steps " + d.memoryStats().liveBytes()
                    + " > " + before + " before: step() left temporaries open");
            for (Optimizer opt : opts) {
                for (Tensor t : opt.stateDict().values()) {
                    assertFalse(t.isClosed());
                }
                opt.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void state_follows_a_parameter_whose_storage_moved_to_another_device(Device d) {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            Device other = TestDevices.all().stream().filter(o -> o != d).findFirst().orElse(null);
            Assumptions.assumeTrue(other != null, "only one device present: nothing to move to");
            Assumptions.assumeTrue(d.info().supportsFloat64() && other.info().supportsFloat64(), "float64 needed");
            Fixtures.Record r = RECORDS.stream().filter(x -> x.id().equals("optim/adam_amsgrad_weight_decay"))
                    .findFirst().orElseThrow();
            OnDevice.use(d);
            Model m = new Model(r, d);
            Optimizer opt = build(r, m.params());
            for (int i = 0; i < 10; i++) {
                gradientsThroughCopies(m, m.x, m.y);
                opt.step();
            }
            OnDevice.use(other);
            Model data = new Model(r, other); // X and Y on the other device
            for (Tensor p : m.params()) {
                p.setGrad(null);
                p.setData(p.to(other).detach()); // what Module.to(Device) does: the optimizer keeps the same objects
            }
            for (int i = 0; i < 10; i++) {
                gradientsThroughCopies(m, data.x, data.y);
                opt.step();
            }
            assertSame(other, opt.stateDict().get("state.0.exp_avg").device(), "the state moved with its parameter");
            assertValuesClose(Fixtures.tensor(r.all("W").get(19)).data(), m.w.toDoubleArray(), RTOL, ATOL, "W");
            assertValuesClose(Fixtures.tensor(r.all("b").get(19)).data(), m.b.toDoubleArray(), RTOL, ATOL, "b");
            opt.close();
        }
    }

    /**
     * Sets the model's gradients from a backward through detached copies of its parameters, so
     * the parameters themselves never get an AccumulateGrad node: after {@code setData} to
     * another device that node's cached device is stale (a runtime issue outside the optimizer).
     */
    private static void gradientsThroughCopies(Model m, Tensor x, Tensor y) {
        Tensor w = m.w.detach().requiresGrad_();
        Tensor b = m.b.detach().requiresGrad_();
        x.matmul(w.t()).add(b).tanh().sub(y).pow(2).mean().backward();
        m.w.setGrad(w.grad());
        m.b.setGrad(b.grad());
    }

    @Test
    void defaults_are_pytorchs_and_setters_chain_on_the_concrete_class() {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad_());
            SGD sgd = new SGD(ps, 0.05).momentum(0.9).nesterov(true).weightDecay(1e-4);
            Adam adam = new Adam(ps).betas(0.8, 0.9).eps(1e-6).amsgrad(true);
            AdamW adamw = new AdamW(ps, 1e-3).weightDecay(0.05);
            assertEquals(0.05, sgd.lr());
            assertEquals(1e-3, adam.lr());
            Map<String, Tensor> s = new SGD(ps, 0.1).stateDict();
            assertEquals(List.of("param_groups.0.lr", "param_groups.0.momentum", "param_groups.0.dampening",
                    "param_groups.0.weight_decay", "param_groups.0.nesterov", "param_groups.0.maximize",
                    "param_groups.0.params"), List.copyOf(s.keySet()));
            assertEquals(0.0, s.get("param_groups.0.momentum").item());
            assertEquals(DType.FLOAT64, s.get("param_groups.0.lr").dtype());
            assertEquals(0, s.get("param_groups.0.lr").dim());
            Map<String, Tensor> a = new Adam(ps).stateDict();
            assertEquals(0.9, a.get("param_groups.0.betas.0").item());
            assertEquals(0.999, a.get("param_groups.0.betas.1").item());
            assertEquals(1e-8, a.get("param_groups.0.eps").item());
            assertEquals(0.0, a.get("param_groups.0.weight_decay").item());
            assertEquals(0.0, a.get("param_groups.0.amsgrad").item());
            Map<String, Tensor> aw = new AdamW(ps).stateDict();
            assertEquals(1e-2, aw.get("param_groups.0.weight_decay").item(), "AdamW's default weight decay");
            assertEquals(1e-3, aw.get("param_groups.0.lr").item());
            assertEquals(1e-4, sgd.stateDict().get("param_groups.0.weight_decay").item());
            assertEquals(1.0, adam.stateDict().get("param_groups.0.amsgrad").item());
            assertEquals(0.05, adamw.stateDict().get("param_groups.0.weight_decay").item());
        }
    }

    @Test
    void bad_hyperparameters_are_rejected_with_pytorchs_messages() {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad_());
            expect("Invalid learning rate: -0.1", () -> new SGD(ps, -0.1));
            expect("Invalid momentum value: -0.5", () -> new SGD(ps, 0.1).momentum(-0.5));
            expect("Invalid weight_decay value: -1e-05", () -> new SGD(ps, 0.1).weightDecay(-1e-5));
            expect("Nesterov momentum requires a momentum and zero dampening", () -> new SGD(ps, 0.1).nesterov(true));
            expect("Nesterov momentum requires a momentum and zero dampening",
                    () -> new SGD(ps, 0.1).momentum(0.9).dampening(0.1).nesterov(true));
            expect("Nesterov momentum requires a momentum and zero dampening",
                    () -> new SGD(ps, 0.1, 0.9, 0.1, 0.0, true));
            expect("Invalid learning rate: -0.001", () -> new Adam(ps, -1e-3));
            expect("Invalid learning rate: nan", () -> new AdamW(ps, Double.NaN));
            expect("Invalid epsilon value: -1e-08", () -> new Adam(ps).eps(-1e-8));
            expect("Invalid beta parameter at index 0: 1.0", () -> new Adam(ps).betas(1.0, 0.999));
            expect("Invalid beta parameter at index 1: -0.1", () -> new AdamW(ps).betas(0.9, -0.1));
            expect("Invalid weight_decay value: -0.01", () -> new AdamW(ps).weightDecay(-0.01));
            expect("Invalid epsilon value: -1.0", () -> new AdamW(ps, 0.1, 2.0, 0.9, -1.0, -1.0, false));
            expect("optimizer got an empty parameter list", () -> new SGD(List.of(), 0.1));
            Tensor leaf = Tensor.zeros(2).requiresGrad_();
            expect("can't optimize a non-leaf Tensor", () -> new Adam(List.of(leaf.mul(2))));
            new SGD(ps, 0.0); // lr 0 is allowed
        }
    }

    private static void expect(String message, Executable e) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void load_state_dict_refuses_a_dict_of_another_shape_or_kind() {
        try (var scope = TensorScope.open()) { // the test's tensors go back to the device at its end
            Tensor a = Tensor.ones(2).requiresGrad_();
            Tensor b = Tensor.ones(3).requiresGrad_();
            Adam two = new Adam(List.of(a, b));
            a.sum().add(b.sum()).backward();
            two.step();
            Map<String, Tensor> sd = two.stateDict();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Adam(List.of(a)).loadStateDict(sd));
            assertTrue(e.getMessage().startsWith("loaded state dict contains a parameter group that doesn't match the "
                    + "size of optimizer's group"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, b), 0.1).loadStateDict(sd));
            assertTrue(e.getMessage().contains("unexpected key"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(b, a)).loadStateDict(sd));
            assertTrue(e.getMessage().contains("state.0.exp_avg has shape [2] but parameter 0 has shape [3]"),
                    e.getMessage());
            Adam same = new Adam(List.of(a, b), 0.5);
            same.loadStateDict(sd);
            assertEquals(1e-3, same.lr());
            assertEquals(1.0, same.stateDict().get("state.1.step").item());
            two.close();
            same.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void close_releases_the_state_and_a_closed_optimizer_refuses_to_step(Device d) {
        try (var scope = TensorScope.open()) {
            OnDevice.use(d);
            Tensor w = Tensor.of(1.0, 2.0).requiresGrad_();
            Adam adam = new Adam(List.of(w), 0.1);
            w.pow(2).sum().backward();
            adam.step();
            Map<String, Tensor> snapshot = adam.stateDict();
            long before = d.memoryStats().liveBytes();
            adam.close();
            adam.close(); // idempotent
            assertTrue(d.memoryStats().liveBytes() < before, "the moments went back to the device");
            assertFalse(snapshot.get("state.0.exp_avg").isClosed(), "a state dict is the caller's copy");
            IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
            assertEquals("Adam.step: this optimizer was closed and its state released; make a new one "
                    + "(loadStateDict restores a saved state)", e.getMessage());
            assertArrayEquals(new double[] {0.9, 1.9}, w.toDoubleArray(), 1e-6, "one step of lr 0.1 happened (float32)");
        }
    }
}
