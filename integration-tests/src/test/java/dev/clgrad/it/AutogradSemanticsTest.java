package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.autograd.AutogradException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's autograd semantics, on every device. */
@ExtendWith(OnDevice.class)
class AutogradSemanticsTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    private static float[] f(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(f(expected), t.toFloatArray(), 1e-5f, t.toString());
    }

    private static void assertValues(Tensor t, double expected, String why) {
        assertArrayEquals(f(expected), t.toFloatArray(), 1e-5f, why + ": " + t);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void gradients_accumulate_in_place_into_the_same_grad_tensor(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        x.mul(2).sum().backward();
        Tensor first = x.grad();
        assertValues(first, 2, 2, 2);
        x.mul(3).sum().backward();
        assertSame(first, x.grad(), "grad() must keep its identity across backward calls");
        assertValues(x.grad(), 5, 5, 5);
        assertEquals(d, x.grad().device());
        x.grad().zero_();
        x.mul(x).sum().backward();
        assertSame(first, x.grad());
        assertValues(x.grad(), 2, 4, 6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_with_a_gradient_computes_a_vector_jacobian_product(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(x);
        y.backward(Tensor.of(1, 0.1, 0.01));
        assertValues(x.grad(), 2, 0.4, 0.06);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void implicit_gradient_is_only_created_for_one_element_outputs(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        AutogradException e = assertThrows(AutogradException.class, () -> x.mul(2).backward());
        assertTrue(e.getMessage().contains("grad can be implicitly created only for scalar outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        Tensor one = Tensor.of(3).requiresGrad_();
        one.mul(2).backward();
        assertValues(one.grad(), 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_second_backward_through_freed_buffers_fails_and_names_retain_graph(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(x).sum();
        y.backward();
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());
        assertTrue(e.getMessage().contains("MulBackward0"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void multiplying_by_a_number_saves_it_as_pytorch_does_so_a_second_backward_fails(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(3).requiresGrad_();
        Tensor y = x.mul(2).add(3);
        y.backward();
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("MulBackward0"), e.getMessage());
        Tensor z = x.add(3);
        z.backward();
        z.backward();
        assertValues(x.grad(), 4, "adding a number saves nothing: PyTorch allows a second backward");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void retain_graph_allows_a_second_backward_that_accumulates(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.ones(2).requiresGrad_();
        Tensor o = x.add(1).pow(2).mul(5).sum().mul(0.5);
        o.backward(null, true);
        assertValues(x.grad(), 10, 10);
        o.backward(Tensor.scalar(1));
        assertValues(x.grad(), 20, 20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void index_assignment_records_copy_slices_and_flows_into_the_assigned_values(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(0.5).requiresGrad_();
        Tensor y = Tensor.zeros(2, 1);
        y.set(0, x.pow(3));
        y.set(1, x.pow(2).mul(2));
        assertEquals("CopySlices", y.gradFn().name());
        assertValues(y, 0.125, 0.5);
        y.backward(Tensor.ones(2, 1));
        assertValues(x.grad(), 3 * 0.25 + 4 * 0.5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void assigned_slices_get_no_gradient_for_their_overwritten_values(Device d) {
        OnDevice.use(d);
        Tensor w = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = w.mul(2);
        y.set(1, 7.0);
        y.sum().backward();
        assertValues(w.grad(), 2, 0, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void in_place_ops_on_a_view_flow_gradients_through_the_base(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(1);
        Tensor v = y.get(0);
        v.mul_(5.0);
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("AsStridedBackward0", v.gradFn().name());
        v.mul(2).add(y.sum()).backward();
        assertValues(x.grad(), 15, 1, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void modifying_a_saved_input_in_place_fails_naming_the_op_and_both_versions(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor a = x.mul(1);
        Tensor b = a.mul(a);
        a.add_(1);
        AutogradException e = assertThrows(AutogradException.class, () -> b.sum().backward());
        String m = e.getMessage();
        assertTrue(m.contains("modified by an inplace operation"), m);
        assertTrue(m.contains("MulBackward0"), m);
        assertTrue(m.contains("is at version 1; expected version 0"), m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void modifying_a_saved_result_in_place_fails_naming_its_producer(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor e = x.exp();
        e.mul_(2.0);
        AutogradException ex = assertThrows(AutogradException.class, () -> e.sum().backward());
        assertTrue(ex.getMessage().contains("ExpBackward0"), ex.getMessage());
        assertTrue(ex.getMessage().contains("version 1; expected version 0"), ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void views_share_the_version_counter_with_their_base(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.zeros(3);
        Tensor v = base.get(1);
        assertEquals(0, base.version());
        v.fill_(2);
        assertEquals(1, base.version());
        assertEquals(1, v.version());
        assertValues(base, 0, 2, 0);
        Tensor data = base.data();
        data.add_(1);
        assertEquals(1, base.version(), "data() has its own version counter");
        base.detach().add_(1);
        assertEquals(2, base.version(), "detach() shares the version counter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void in_place_on_a_leaf_that_requires_grad_fails_outside_no_grad(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        AutogradException e = assertThrows(AutogradException.class, () -> x.add_(1));
        assertTrue(e.getMessage().contains("a leaf Variable that requires grad is being used in an in-place "
                + "operation"), e.getMessage());
        AutogradException view = assertThrows(AutogradException.class, () -> x.get(0).fill_(1));
        assertTrue(view.getMessage().contains("a view of a leaf Variable"), view.getMessage());
        try (var g = Autograd.noGrad()) {
            x.mul_(3.0);
        }
        assertValues(x, 3, 6);
        assertTrue(x.isLeaf());
        assertEquals(1, x.version());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void no_grad_is_a_thread_local_scope_that_restores_the_previous_mode(Device d) throws Exception {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        assertTrue(Autograd.isGradEnabled());
        try (var g = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            assertFalse(x.pow(2).requiresGrad());
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = Autograd.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0], "another thread keeps grad mode enabled");
            try (var inner = Autograd.enableGrad()) {
                assertTrue(x.pow(2).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertTrue(x.pow(2).requiresGrad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void retain_grad_keeps_the_gradient_of_a_non_leaf(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(3).retainGrad();
        Tensor z = x.mul(4);
        y.mul(y).sum().backward(null, true);
        assertValues(y.grad(), 6, 12);
        assertNull(z.grad(), "non-leaves without retainGrad keep no gradient");
        assertValues(x.grad(), 18, 36);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void detach_and_data_share_storage_without_history(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(2);
        Tensor det = y.detach();
        assertFalse(det.requiresGrad());
        assertNull(det.gradFn());
        assertTrue(det.isLeaf());
        try (var g = Autograd.noGrad()) {
            det.add_(1);
        }
        assertValues(y, 3, 5);
        Tensor data = x.data();
        assertFalse(data.requiresGrad());
        data.mul_(10.0);
        assertValues(x, 10, 20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void requires_grad_cannot_be_switched_off_on_a_non_leaf(Device d) {
        OnDevice.use(d);
        Tensor y = Tensor.of(1.0).requiresGrad_().mul(2);
        AutogradException e = assertThrows(AutogradException.class, () -> y.requiresGrad_(false));
        assertTrue(e.getMessage().contains("leaf variables"), e.getMessage());
        assertSame(y, y.requiresGrad_(true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void autograd_grad_returns_gradients_and_leaves_grad_untouched(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor w = Tensor.of(4, 5, 6).requiresGrad_();
        Tensor y = x.mul(w).sum();
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x), null, false, false);
        assertValues(g.get(0), 4, 5, 6);
        assertNull(x.grad());
        assertNull(w.grad());
        assertFalse(g.get(0).requiresGrad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void autograd_grad_reports_an_unused_input_unless_allowed(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor unused = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(2).sum();
        AutogradException e = assertThrows(AutogradException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, true, false));
        assertTrue(e.getMessage().contains("appears to not have been used in the graph"), e.getMessage());
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x, unused), null, false, false, true);
        assertValues(g.get(0), 2, 2);
        assertNull(g.get(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void create_graph_gives_correct_second_derivatives(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.pow(3).add(x.sin()).sum();
        Tensor dy = Autograd.grad(List.of(y), List.of(x), null, true, true).get(0);
        assertTrue(dy.requiresGrad());
        double[] xs = {1, 2, 3};
        double[] first = new double[3];
        double[] second = new double[3];
        for (int i = 0; i < 3; i++) {
            first[i] = 3 * xs[i] * xs[i] + Math.cos(xs[i]);
            second[i] = 6 * xs[i] - Math.sin(xs[i]);
        }
        assertValues(dy, first);
        Tensor d2 = Autograd.grad(List.of(dy.sum()), List.of(x), null, false, false).get(0);
        assertValues(d2, second);
        x.pow(2).sum().backward(null, false, true);
        assertTrue(x.grad().requiresGrad(), "with createGraph the accumulated grad is differentiable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_chain_of_100000_ops_backpropagates_without_stack_overflow(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1.0).requiresGrad_();
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0);
        }
        y.backward();
        assertValues(x.grad(), 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void gradients_of_a_tensor_used_twice_are_summed(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(2, 3).requiresGrad_();
        Tensor a = x.mul(2);
        Tensor b = a.add(a.mul(a)).sum();
        b.backward();
        assertValues(x.grad(), 2 + 8 * 2, 2 + 8 * 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void gradients_arrive_in_the_dtype_and_shape_of_each_leaf(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor b = Tensor.of(new double[] {10}, DType.FLOAT64, 1).requiresGrad_();
        Tensor y = x.mul(b).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(DType.FLOAT64, b.grad().dtype());
        assertArrayEquals(new long[] {1}, b.grad().shape());
        assertValues(x.grad(), 10, 10, 10);
        assertValues(b.grad(), 6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_checks_the_gradient_shape_and_requires_grad(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        AutogradException shape = assertThrows(AutogradException.class,
                () -> x.mul(2).backward(Tensor.ones(3)));
        assertTrue(shape.getMessage().contains("Mismatch in shape"), shape.getMessage());
        AutogradException none = assertThrows(AutogradException.class, () -> Tensor.ones(1).backward());
        assertTrue(none.getMessage().contains("does not require grad"), none.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void leaves_keep_one_accumulator_shared_by_every_graph(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        var a = x.mul(2).gradFn().nextFunctions().get(0).function();
        var b = x.add(1).gradFn().nextFunctions().get(0).function();
        assertEquals("AccumulateGrad", a.name());
        assertSame(a, b);
        assertNotSame(x.mul(2).gradFn(), x.mul(2).gradFn());
    }
}
