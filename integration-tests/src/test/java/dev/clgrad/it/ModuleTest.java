package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.nn.Dropout;
import dev.clgrad.nn.Flatten;
import dev.clgrad.nn.Functional;
import dev.clgrad.nn.LayerNorm;
import dev.clgrad.nn.Linear;
import dev.clgrad.nn.LoadResult;
import dev.clgrad.nn.Module;
import dev.clgrad.nn.ReLU;
import dev.clgrad.nn.Sequential;
import dev.clgrad.nn.Tanh;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module semantics as PyTorch 1.13's {@code torch.nn.Module}: names and order of parameters,
 * buffers and state dicts, loading with its errors, moving between devices and dtypes without
 * changing the parameter objects, modes, zeroing gradients, registration rules, scopes, and the
 * built-in layers' shapes and initialisation; on every device.
 */
@ExtendWith(OnDevice.class)
class ModuleTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    /** A user module with a parameter, a persistent and a non-persistent buffer, and a child. */
    static final class Net extends Module {
        Net() {
            registerParameter("scale", Tensor.ones(3));
            registerBuffer("running", Tensor.zeros(3));
            registerBuffer("scratch", Tensor.zeros(1), false);
            registerModule("fc", new Linear(3, 2));
        }

        @Override
        public Tensor forward(Tensor x) {
            return module("fc").forward(x.mul(parameter("scale")).add(buffer("running")));
        }

        Tensor running() {
            return buffer("running");
        }

        void register(String kind, String name, Tensor t) {
            switch (kind) {
                case "parameter" -> registerParameter(name, t);
                case "buffer" -> registerBuffer(name, t);
                default -> registerModule(name, new ReLU());
            }
        }
    }

    private static Sequential nested() {
        return new Sequential(new Linear(4, 3), new ReLU(), new Sequential(new Linear(3, 2, false), new LayerNorm(2)));
    }

    // ---- names -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void parameters_and_state_dict_use_pytorchs_dotted_names_in_registration_order(Device d) {
        OnDevice.use(d);
        Sequential m = nested();
        List<String> names = List.of("0.weight", "0.bias", "2.0.weight", "2.1.weight", "2.1.bias");
        assertEquals(names, new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(names, new ArrayList<>(m.stateDict().keySet()));
        assertEquals(new ArrayList<>(m.namedParameters().values()), m.parameters());
        assertSame(((Linear) m.get(0)).weight(), m.parameters().get(0));
        assertEquals(List.of("", "0", "1", "2", "2.0", "2.1"), new ArrayList<>(m.namedModules().keySet()));
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(m.namedChildren().keySet()));
        assertEquals(3, m.children().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void buffers_are_in_the_state_dict_but_not_in_parameters(Device d) {
        OnDevice.use(d);
        Net net = new Net();
        assertEquals(List.of("scale", "fc.weight", "fc.bias"), new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(List.of("running", "scratch"), new ArrayList<>(net.namedBuffers().keySet()));
        // non-persistent buffers stay out of the state dict, as PyTorch's register_buffer(persistent=False)
        assertEquals(List.of("scale", "running", "fc.weight", "fc.bias"), new ArrayList<>(net.stateDict().keySet()));
        assertFalse(net.running().requiresGrad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_shared_module_is_listed_once_in_parameters_and_under_both_names_in_the_state_dict(Device d) {
        OnDevice.use(d);
        Linear shared = new Linear(2, 2);
        Sequential m = new Sequential(shared, shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(2, m.modules().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void state_dict_tensors_are_detached_and_share_storage_with_the_parameters(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(2, 3);
        Map<String, Tensor> state = lin.stateDict();
        Tensor w = state.get("weight");
        assertFalse(w.requiresGrad());
        assertNotSame(lin.weight(), w);
        assertSame(d, w.device());
        try (var g = dev.clgrad.Autograd.noGrad()) {
            lin.weight().fill_(2.5);
        }
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, w.toFloatArray());
    }

    // ---- loading -----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void load_state_dict_copies_values_keeping_each_parameters_device_and_dtype(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(2, 2);
        Tensor weight = lin.weight();
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.of(new double[] {1, 2, 3, 4}, DType.FLOAT64, Device.cpu(), 2, 2));
        state.put("bias", Tensor.of(new double[] {-1, -2}, DType.FLOAT64, Device.cpu(), 2));
        LoadResult result = lin.loadStateDict(state, true);
        assertEquals(new LoadResult(List.of(), List.of()), result);
        assertSame(weight, lin.weight());
        assertSame(d, lin.weight().device());
        assertEquals(DType.FLOAT32, lin.weight().dtype());
        assertTrue(lin.weight().requiresGrad() && lin.weight().isLeaf());
        assertArrayEquals(new float[] {1, 2, 3, 4}, lin.weight().toFloatArray());
        assertArrayEquals(new float[] {-1, -2}, lin.bias().toFloatArray());
        // a module's own state dict loads back into it
        assertEquals(new LoadResult(List.of(), List.of()), lin.loadStateDict(lin.stateDict(), true));
        assertArrayEquals(new float[] {1, 2, 3, 4}, lin.weight().toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void strict_loading_rejects_missing_and_unexpected_keys_with_pytorchs_message(Device d) {
        OnDevice.use(d);
        Sequential m = new Sequential(new Linear(4, 2));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("0.bias", Tensor.zeros(2));
        state.put("0.foo", Tensor.zeros(1));
        state.put("5.x", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, true));
        assertEquals("Error(s) in loading state_dict for Sequential:\n"
                + "\tMissing key(s) in state_dict: \"0.weight\". \n"
                + "\tUnexpected key(s) in state_dict: \"5.x\", \"0.foo\". ", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void non_strict_loading_copies_what_matches_and_reports_the_rest(Device d) {
        OnDevice.use(d);
        Sequential m = new Sequential(new Linear(4, 2));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("0.bias", Tensor.of(7.0, 8.0));
        state.put("0.foo", Tensor.zeros(1));
        state.put("5.x", Tensor.zeros(1));
        LoadResult r = m.loadStateDict(state, false);
        assertEquals(List.of("0.weight"), r.missingKeys());
        assertEquals(List.of("5.x", "0.foo"), r.unexpectedKeys());
        assertArrayEquals(new float[] {7, 8}, ((Linear) m.get(0)).bias().toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_shape_mismatch_is_an_error_even_when_not_strict_and_the_other_entries_are_still_copied(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(4, 2);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.zeros(3, 4));
        state.put("bias", Tensor.of(5.0, 6.0));
        for (boolean strict : new boolean[] {true, false}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lin.loadStateDict(state, strict));
            assertEquals("Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with "
                    + "shape torch.Size([3, 4]) from checkpoint, the shape in current model is torch.Size([2, 4]).",
                    e.getMessage());
        }
        assertArrayEquals(new float[] {5, 6}, lin.bias().toFloatArray());
    }

    // ---- moving ------------------------------------------------------------------------

    static List<Device[]> devicePairs() {
        List<Device[]> pairs = new ArrayList<>();
        for (Device a : TestDevices.all()) {
            for (Device b : TestDevices.all()) {
                if (a != b) {
                    pairs.add(new Device[] {a, b});
                }
            }
        }
        return pairs;
    }

    @Test
    void to_device_moves_the_same_parameter_objects_with_their_grads_so_an_optimizer_keeps_working() {
        List<Device[]> pairs = devicePairs();
        if (pairs.isEmpty()) {
            assertFalse(TestDevices.openCLRequired(), TestDevices.noOpenCLMessage());
            Assumptions.assumeTrue(false, TestDevices.noOpenCLMessage());
        }
        for (Device[] pair : pairs) {
            Device from = OnDevice.use(pair[0]);
            Device to = pair[1];
            Net net = new Net();
            List<Tensor> held = net.parameters();   // what an optimizer made now holds
            Tensor x = Tensor.of(new double[][] {{1, 2, 3}});
            net.forward(x).sum().backward();
            float[] before = net.forward(x).toFloatArray();
            List<float[]> grads = new ArrayList<>();
            for (Tensor p : held) {
                grads.add(p.grad().toFloatArray());
            }
            Module same = net.to(to);
            assertSame(net, same);
            assertEquals(held.size(), net.parameters().size());
            for (int i = 0; i < held.size(); i++) {
                Tensor p = net.parameters().get(i);
                assertSame(held.get(i), p, "parameter " + i + " is the same object");
                assertSame(to, p.device());
                assertSame(to, p.grad().device(), "its grad moved too");
                assertArrayEquals(grads.get(i), p.grad().toFloatArray());
                assertTrue(p.requiresGrad() && p.isLeaf());
            }
            assertSame(to, net.running().device(), "buffers move");
            Tensor xTo = x.to(to);
            assertArrayEquals(before, net.forward(xTo).toFloatArray(), 1e-6f);
            // an optimizer-like step through the held list changes what the moved module computes
            try (var g = dev.clgrad.Autograd.noGrad()) {
                for (Tensor p : held) {
                    p.add_(p.grad().mul(-0.5));
                }
            }
            net.zeroGrad();
            float[] after = net.forward(xTo).toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "the step through the held tensors took effect");
            net.forward(xTo).sum().backward();
            for (Tensor p : held) {
                assertSame(to, p.grad().device(), from + " -> " + to + ": new grads arrive on the new device");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void to_dtype_converts_floating_parameters_grads_and_buffers_in_place(Device d) {
        OnDevice.use(d);
        Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64");
        Net net = new Net();
        List<Tensor> held = net.parameters();
        net.forward(Tensor.ones(1, 3)).sum().backward();
        net.to(DType.FLOAT64);
        for (int i = 0; i < held.size(); i++) {
            assertSame(held.get(i), net.parameters().get(i));
            assertEquals(DType.FLOAT64, held.get(i).dtype());
            assertEquals(DType.FLOAT64, held.get(i).grad().dtype());
        }
        assertEquals(DType.FLOAT64, net.running().dtype());
        assertEquals(DType.FLOAT64, net.forward(Tensor.ones(1, 3).to(DType.FLOAT64)).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.to(DType.INT64));
        assertTrue(e.getMessage().contains(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64"),
                e.getMessage());
    }

    // ---- modes and gradients -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void train_and_eval_set_the_mode_of_every_descendant(Device d) {
        OnDevice.use(d);
        Dropout drop = new Dropout(0.5);
        Sequential m = new Sequential(new Linear(2, 2), new Sequential(drop));
        assertTrue(m.isTraining() && drop.isTraining());
        Module returned = m.eval();
        assertSame(m, returned);
        for (Module sub : m.modules()) {
            assertFalse(sub.isTraining(), sub.toString());
        }
        Tensor x = Tensor.ones(4, 2);
        assertSame(x, drop.forward(x), "dropout in eval mode returns its input");
        m.train();
        assertTrue(drop.isTraining());
        m.train(false);
        assertFalse(drop.isTraining());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void zero_grad_before_any_backward_leaves_no_grad_and_afterwards_zeroes_the_same_grad_tensor(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(3, 2);
        lin.zeroGrad();
        assertNull(lin.weight().grad());
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}});
        lin.forward(x).sum().backward();
        Tensor grad = lin.weight().grad();
        float[] once = grad.toFloatArray();
        lin.zeroGrad();
        assertSame(grad, lin.weight().grad());
        assertArrayEquals(new float[6], grad.toFloatArray());
        lin.forward(x).sum().backward();
        assertSame(grad, lin.weight().grad());
        assertArrayEquals(once, grad.toFloatArray(), "after zeroGrad a backward gives one step's gradient");
        lin.zeroGrad(true);
        assertNull(lin.weight().grad());
        assertNull(lin.bias().grad());
    }

    // ---- registration ------------------------------------------------------------------

    @Test
    void names_are_validated_as_pytorch_does() {
        Net net = new Net();
        String[][] cases = {
            {"parameter", "a.b", "parameter name can't contain \".\""},
            {"parameter", "", "parameter name can't be empty string \"\""},
            {"buffer", "a.b", "buffer name can't contain \".\""},
            {"buffer", "", "buffer name can't be empty string \"\""},
            {"module", "a.b", "module name can't contain \".\", got: a.b"},
            {"module", "", "module name can't be empty string \"\""},
            {"parameter", "running", "attribute 'running' already exists"},
            {"module", "scale", "attribute 'scale' already exists"},
            {"buffer", "fc", "attribute 'fc' already exists"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.register(c[0], c[1], Tensor.zeros(1)), c[0] + " " + c[1]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
        // re-registering under the same kind replaces, as PyTorch allows
        net.register("buffer", "running", Tensor.ones(3));
        assertArrayEquals(new float[] {1, 1, 1}, net.running().toFloatArray());
        Tensor computed = Tensor.ones(2).requiresGrad_().mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.register("parameter", "w", computed));
        assertTrue(e.getMessage().contains("Cannot assign non-leaf Tensor to parameter 'w'"), e.getMessage());
        Tensor plain = Tensor.zeros(2);
        net.register("parameter", "w", plain);
        assertTrue(plain.requiresGrad() && plain.isLeaf(), "a registered parameter is a leaf that requires grad");
        assertSame(plain, net.namedParameters().get("w"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_users_scope_closes_neither_parameters_nor_buffers_created_or_moved_inside_it(Device d) {
        OnDevice.use(d);
        Net net;
        try (var scope = TensorScope.open()) {
            net = new Net();
            net.forward(Tensor.ones(1, 3)).sum().backward();
            for (Device other : TestDevices.all()) {
                net.to(other);
            }
            net.to(d);
        }
        for (Tensor t : net.stateDict().values()) {
            assertFalse(t.isClosed());
        }
        for (Tensor p : net.parameters()) {
            assertFalse(p.isClosed());
            assertFalse(p.grad().isClosed());
        }
        assertEquals(2, net.forward(Tensor.ones(1, 3)).numel());
    }

    // ---- built-in layers ---------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void linear_starts_uniform_within_one_over_sqrt_in_features_on_the_default_device(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(100, 300);
        assertArrayEquals(new long[] {300, 100}, lin.weight().shape());
        assertArrayEquals(new long[] {300}, lin.bias().shape());
        assertSame(d, lin.weight().device());
        assertEquals(DType.FLOAT32, lin.weight().dtype());
        assertTrue(lin.weight().requiresGrad() && lin.weight().isLeaf());
        for (Tensor t : List.of(lin.weight(), lin.bias())) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            double sum = 0;
            for (float v : t.toFloatArray()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                sum += v;
            }
            assertTrue(lo >= -0.1 && hi <= 0.1, "within ±1/sqrt(100): " + lo + " " + hi);
            assertTrue(lo < -0.09 && hi > 0.09, "spread over the whole range: " + lo + " " + hi);
            assertEquals(0, sum / t.numel(), 0.02, "mean near 0");
        }
        assertNull(new Linear(3, 2, false).bias());
        assertEquals(List.of("weight"), new ArrayList<>(new Linear(3, 2, false).stateDict().keySet()));
        Linear empty = new Linear(0, 2);
        assertArrayEquals(new float[] {0, 0}, empty.bias().toFloatArray(), "bias bound is 0 without inputs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void the_same_seed_gives_the_same_linear_weights(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(3);
        float[] a = new Linear(4, 3).weight().toFloatArray();
        Tensor.manualSeed(3);
        assertArrayEquals(a, new Linear(4, 3).weight().toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void linear_refuses_an_input_whose_last_dim_is_not_in_features(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("mat1 and mat2 shapes cannot be multiplied (2x5 and 4x3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(2, 2, 5)));
        assertTrue(e.getMessage().contains("(4x5 and 4x3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.scalar(1)));
        assertTrue(e.getMessage().contains("both arguments to matmul need to be at least 1D"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void layer_norm_starts_with_ones_and_zeros_and_checks_the_input_shape(Device d) {
        OnDevice.use(d);
        LayerNorm ln = new LayerNorm(2, 3);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, ln.weight().toFloatArray());
        assertArrayEquals(new float[6], ln.bias().toFloatArray());
        assertEquals(1e-5, ln.eps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(3)));
        assertTrue(e.getMessage().contains(
                "Given normalized_shape=[2, 3], expected input with shape [*, 2, 3], but got input of size[3]"),
                e.getMessage());
        Tensor y = ln.forward(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).reshape(1, 2, 3));
        assertEquals("NativeLayerNormBackward0", y.gradFn().name());
        assertEquals(0, y.mean().item(), 1e-6);
        LayerNorm plain = new LayerNorm(new long[] {3}, 1e-5, false);
        assertTrue(plain.parameters().isEmpty());
        assertEquals("NativeLayerNormBackward0(AccumulateGrad, None, None)",
                GoldenGraphsTest.dump(plain.forward(Tensor.ones(2, 3).requiresGrad_()).gradFn()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void flatten_joins_the_dims_after_the_batch_dim(Device d) {
        OnDevice.use(d);
        assertArrayEquals(new long[] {2, 12}, new Flatten().forward(Tensor.zeros(2, 3, 4)).shape());
        assertArrayEquals(new long[] {6, 4}, new Flatten(0, 1).forward(Tensor.zeros(2, 3, 4)).shape());
        assertArrayEquals(new long[] {24}, new Flatten(0, -1).forward(Tensor.zeros(2, 3, 4)).shape());
        Tensor x = Tensor.zeros(2, 3);
        assertSame(x, new Flatten().forward(x), "one dim to flatten: the input itself, as PyTorch");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> new Flatten().forward(Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(Tensor.zeros(2, 3, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void sequential_applies_its_modules_in_order(Device d) {
        OnDevice.use(d);
        Linear lin = new Linear(2, 2);
        Sequential seq = new Sequential(lin, new Tanh());
        Tensor x = Tensor.of(new double[][] {{0.5, -1}});
        assertArrayEquals(lin.forward(x).tanh().toFloatArray(), seq.forward(x).toFloatArray());
        assertSame(x, new Sequential().forward(x));
        assertSame(lin, seq.get(0));
        assertEquals(2, seq.size());
        seq.append(new ReLU());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(seq.stateDict().keySet()));
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Tanh()\n"
                + "  (2): ReLU()\n)", seq.toString());
    }

    @Test
    void a_user_module_prints_its_children_under_their_names() {
        assertEquals("Net(\n  (fc): Linear(in_features=3, out_features=2, bias=True)\n)", new Net().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_module_trains_a_step_with_functional_losses(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(0);
        Sequential m = new Sequential(new Linear(3, 8), new ReLU(), new Linear(8, 1));
        Tensor x = Tensor.rand(16, 3);
        Tensor y = x.sum(1, true);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 50; step++) {
            m.zeroGrad();
            Tensor loss = Functional.mseLoss(m.forward(x), y);
            loss.backward();
            try (var g = dev.clgrad.Autograd.noGrad()) {
                for (Tensor p : m.parameters()) {
                    p.add_(p.grad().mul(-0.1));
                }
            }
            last = loss.item();
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(last < first / 4, "loss fell from " + first + " to " + last);
    }
}
