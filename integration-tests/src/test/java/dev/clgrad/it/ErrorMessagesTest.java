package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.autograd.AutogradException;
import dev.clgrad.autograd.GradFn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.clgrad.it.TestTensors.range;

/**
 * Bad input gets a clear unchecked exception of the right type whose message names the op, the
 * shapes or values involved and a remedy, and a failed op loses nothing: its inputs keep their
 * values, version, autograd state and gradients, and stay usable.
 */
@ExtendWith(OnDevice.class)
class ErrorMessagesTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    // ---- helpers -----------------------------------------------------------------------

    /** Asserts {@code call} throws exactly {@code type} (or a subtype) with every keyword in its message. */
    private static <T extends Throwable> T fails(Class<T> type, Executable call, String... keywords) {
        T e = assertThrows(type, call);
        String m = e.getMessage();
        assertNotNull(m, type.getSimpleName() + " without a message");
        for (String k : keywords) {
            assertTrue(m.contains(k), "the message should contain '" + k + "' but was: " + m);
        }
        return e;
    }

    /** What a tensor looks like before a failing call, to check that the failure changed nothing. */
    private record Snapshot(Tensor t, long[] shape, double[] values, int version, boolean requiresGrad,
                            GradFn gradFn, Tensor grad, double[] gradValues) {
        static Snapshot of(Tensor t) {
            Tensor g = t.grad();
            return new Snapshot(t, t.shape(), t.toDoubleArray(), t.version(), t.requiresGrad(), t.gradFn(), g,
                    g == null ? null : g.toDoubleArray());
        }

        void assertIntact() {
            assertFalse(t.isClosed(), "a failed op must not close its input");
            assertArrayEquals(shape, t.shape(), "shape after a failed op");
            assertArrayEquals(values, t.toDoubleArray(), 0.0, "values after a failed op");
            assertEquals(version, t.version(), "version after a failed op");
            assertEquals(requiresGrad, t.requiresGrad(), "requiresGrad after a failed op");
            assertSame(gradFn, t.gradFn(), "gradFn after a failed op");
            assertSame(grad, t.grad(), "grad() after a failed op");
            if (grad != null) {
                assertArrayEquals(gradValues, grad.toDoubleArray(), 0.0, "grad() values after a failed op");
            }
            // still usable: an op on it gives the expected values
            double[] plusOne = t.add(1).toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i] + 1, plusOne[i], 1e-6, "using the input after a failed op");
            }
        }
    }

    private static void assertIntact(Snapshot... snapshots) {
        for (Snapshot s : snapshots) {
            s.assertIntact();
        }
    }

    // ---- broadcasting ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void adding_unbroadcastable_shapes_names_both_sizes_and_the_dimension(Device d) {
        OnDevice.use(d);
        List<String> ops = List.of("add", "sub", "mul", "div");
        List<BiFunction<Tensor, Tensor, Tensor>> calls = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div);
        for (int k = 0; k < ops.size(); k++) {
            Tensor a = range(2, 3).requiresGrad_();
            Tensor b = Tensor.ones(2, 4);
            Snapshot sa = Snapshot.of(a);
            Snapshot sb = Snapshot.of(b);
            BiFunction<Tensor, Tensor, Tensor> call = calls.get(k);
            IllegalArgumentException e = fails(IllegalArgumentException.class, () -> call.apply(a, b),
                    ops.get(k), "size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
                    "[2, 3]", "[2, 4]");
            assertTrue(e.getMessage().contains("reshape") || e.getMessage().contains("expand"),
                    "the message should suggest a remedy: " + e.getMessage());
            assertIntact(sa, sb);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void broadcasting_mismatch_in_a_leading_dimension_names_the_dimension_of_the_broadcast_shape(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.ones(2, 1, 3);
        Tensor b = Tensor.ones(5, 4, 3);
        fails(IllegalArgumentException.class, () -> a.mul(b),
                "size of tensor a (2) must match the size of tensor b (5) at non-singleton dimension 0");
        Tensor c = Tensor.ones(4, 3);
        Tensor e = Tensor.ones(2, 3, 3);
        fails(IllegalArgumentException.class, () -> c.add(e),
                "size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1");
    }

    // ---- matmul ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void matmul_with_mismatched_inner_dimensions_names_both_shapes(Device d) {
        OnDevice.use(d);
        Tensor a = range(2, 3).requiresGrad_();
        Tensor b = Tensor.ones(4, 5);
        Snapshot sa = Snapshot.of(a);
        Snapshot sb = Snapshot.of(b);
        fails(IllegalArgumentException.class, () -> a.matmul(b), "mat1 and mat2 shapes cannot be multiplied",
                "2x3", "4x5");
        assertIntact(sa, sb);
        Tensor batch = Tensor.ones(7, 2, 3);
        // PyTorch folds the batch into the rows and names the folded shape: (14x3 and 4x5)
        fails(IllegalArgumentException.class, () -> batch.matmul(b), "cannot be multiplied", "x3", "4x5", "(3)",
                "(4)");
        Tensor v = Tensor.ones(4);
        fails(IllegalArgumentException.class, () -> a.matmul(v), "cannot be multiplied", "2x3", "(3)", "(4)");
        Tensor u = Tensor.ones(3);
        fails(IllegalArgumentException.class, () -> u.matmul(v), "(3)", "(4)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void matmul_of_a_zero_dim_tensor_asks_for_at_least_one_dimension_and_suggests_mul(Device d) {
        OnDevice.use(d);
        Tensor s = Tensor.scalar(2).requiresGrad_();
        Tensor m = range(2, 2);
        Snapshot ss = Snapshot.of(s);
        fails(IllegalArgumentException.class, () -> s.matmul(m), "matmul", "at least 1 dimension", "0D", "2D",
                "mul");
        fails(IllegalArgumentException.class, () -> m.matmul(s), "matmul", "2D and 0D");
        assertIntact(ss, Snapshot.of(m));
    }

    // ---- shapes and views --------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void view_of_a_non_contiguous_tensor_points_to_reshape(Device d) {
        OnDevice.use(d);
        Tensor base = range(2, 3).requiresGrad_();
        Tensor t = base.t();
        Snapshot sb = Snapshot.of(base);
        Snapshot st = Snapshot.of(t);
        fails(IllegalArgumentException.class, () -> t.view(6), "view size is not compatible with input tensor's "
                + "size and stride", "[3, 2]", "[6]", ".reshape(");
        assertIntact(sb, st);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, t.reshape(6).toDoubleArray(), 0.0,
                "the suggested remedy works");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void reshape_or_view_to_a_size_with_another_element_count_names_the_shape_and_the_count(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        Snapshot sx = Snapshot.of(x);
        fails(IllegalArgumentException.class, () -> x.reshape(4, 4), "reshape", "shape '[4, 4]' is invalid for "
                + "input of size 6");
        fails(IllegalArgumentException.class, () -> x.view(4, -1), "view", "shape '[4, -1]' is invalid for input "
                + "of size 6");
        fails(IllegalArgumentException.class, () -> x.view(-1, -1), "view", "only one dimension can be inferred");
        fails(IllegalArgumentException.class, () -> x.reshape(-2, 3), "reshape", "invalid shape dimension -2");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void expand_to_an_incompatible_size_names_the_target_and_existing_sizes(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3).requiresGrad_();
        Snapshot sx = Snapshot.of(x);
        fails(IllegalArgumentException.class, () -> x.expand(2, 4), "expand",
                "(4) must match the existing size (3) at non-singleton dimension 1", "[2, 4]", "[2, 3]");
        fails(IllegalArgumentException.class, () -> x.expand(3), "expand", "number of sizes provided (1)",
                "number of dimensions in the tensor (2)");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_index_out_of_range_names_the_op_the_index_the_dimension_and_its_size(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3).requiresGrad_();
        Snapshot sx = Snapshot.of(x);
        fails(IndexOutOfBoundsException.class, () -> x.select(0, 5), "index 5", "dimension 0", "size 2");
        fails(IndexOutOfBoundsException.class, () -> x.get(2), "index 2", "dimension 0", "size 2");
        fails(IndexOutOfBoundsException.class, () -> x.get(-3), "index -3", "dimension 0", "size 2");
        fails(IndexOutOfBoundsException.class, () -> x.get(1, 3), "index 3", "size 3");
        fails(IndexOutOfBoundsException.class, () -> x.select(1, -4), "index -4", "dimension 1", "size 3");
        assertIntact(sx);
        Tensor y = Tensor.zeros(2, 3);
        Snapshot sy = Snapshot.of(y);
        fails(IndexOutOfBoundsException.class, () -> y.set(2, 1.0), "index 2", "size 2");
        fails(IndexOutOfBoundsException.class, () -> y.set(-3, Tensor.ones(3)), "index -3", "size 2");
        assertIntact(sy);
        Tensor s = Tensor.scalar(1);
        fails(IndexOutOfBoundsException.class, () -> s.get(0), "select", "0-dim", "item()");
        // Last, as it is the one API.md asks for beyond the sizes: the message names the op, as
        // PyTorch's "select(): index 5 out of range for tensor of size [2, 3] at dimension 0" does.
        fails(IndexOutOfBoundsException.class, () -> x.select(0, 5), "select", "[2, 3]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_dim_out_of_range_names_the_op_the_valid_range_and_the_dim_negative_ones_too(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3).requiresGrad_();
        Snapshot sx = Snapshot.of(x);
        String range = "expected to be in range of [-2, 1], but got ";
        fails(IndexOutOfBoundsException.class, () -> x.sum(2, false), "sum", "dimension out of range", range + "2");
        fails(IndexOutOfBoundsException.class, () -> x.sum(-3, true), "sum", range + "-3");
        fails(IndexOutOfBoundsException.class, () -> x.mean(5, false), "mean", range + "5");
        fails(IndexOutOfBoundsException.class, () -> x.transpose(0, 2), "transpose", range + "2");
        fails(IndexOutOfBoundsException.class, () -> x.transpose(-3, 0), "transpose", range + "-3");
        fails(IndexOutOfBoundsException.class, () -> x.squeeze(-3), "squeeze", range + "-3");
        fails(IndexOutOfBoundsException.class, () -> x.size(2), "size", range + "2");
        fails(IndexOutOfBoundsException.class, () -> x.select(-3, 0), "select", range + "-3");
        fails(IndexOutOfBoundsException.class, () -> x.permute(0, 2), "permute", range + "2");
        // unsqueeze accepts one more dim: [-3, 2]
        fails(IndexOutOfBoundsException.class, () -> x.unsqueeze(3), "unsqueeze",
                "expected to be in range of [-3, 2], but got 3");
        fails(IndexOutOfBoundsException.class, () -> x.unsqueeze(-4), "unsqueeze", "but got -4");
        assertIntact(sx);
        assertArrayEquals(new long[] {2, 3, 1}, x.unsqueeze(-1).shape(), "the edge of the range is valid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void t_of_a_three_dim_tensor_names_its_rank_and_suggests_transpose(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3, 4);
        Snapshot sx = Snapshot.of(x);
        fails(IllegalArgumentException.class, x::t, "t()", "<= 2 dimensions", "3D", "[2, 3, 4]", "transpose");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void permute_with_the_wrong_number_of_dims_names_both_counts(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        Snapshot sx = Snapshot.of(x);
        fails(IllegalArgumentException.class, () -> x.permute(1, 0, 2), "permute", "input.dim() = 2",
                "len(dims) = 3");
        fails(IllegalArgumentException.class, () -> x.permute(0), "permute", "input.dim() = 2", "len(dims) = 1");
        fails(IllegalArgumentException.class, () -> x.permute(1, 1), "permute", "multiple times");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void item_of_several_elements_names_the_count_and_the_shape(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        Snapshot sx = Snapshot.of(x);
        fails(IllegalStateException.class, x::item, "item()", "6 elements", "[2, 3]");
        fails(IllegalStateException.class, () -> Tensor.zeros(0).item(), "item()", "0 elements");
        assertIntact(sx);
        assertEquals(5.0, x.get(1, 2).item(), "the remedy (select one element) works");
    }

    // ---- autograd ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_on_a_non_scalar_without_a_gradient_asks_for_one_of_the_output_shape(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(2);
        Snapshot sx = Snapshot.of(x);
        Snapshot sy = Snapshot.of(y);
        fails(AutogradException.class, y::backward, "backward",
                "grad can be implicitly created only for scalar outputs", "[3]");
        assertIntact(sx, sy);
        assertNull(x.grad(), "a failed backward must not write a gradient");
        y.backward(Tensor.ones(3));
        assertArrayEquals(new double[] {2, 2, 2}, x.grad().toDoubleArray(), 0.0, "the graph is still usable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_with_a_gradient_of_the_wrong_shape_names_both_shapes(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(x);
        fails(AutogradException.class, () -> y.backward(Tensor.ones(3)), "backward", "Mismatch in shape",
                "[3]", "[2]");
        fails(AutogradException.class, () -> y.backward(Tensor.ones(2, 1)), "[2, 1]", "[2]");
        assertNull(x.grad());
        y.backward(Tensor.of(1, 1));
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray(), 0.0,
                "a failed backward must not free the graph");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_on_a_tensor_that_does_not_require_grad_suggests_requires_grad(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2);
        Tensor y = x.mul(2).sum();
        fails(AutogradException.class, y::backward, "backward", "does not require grad",
                "does not have a grad_fn", "requiresGrad_()");
        Tensor z;
        Tensor w = Tensor.of(1, 2).requiresGrad_();
        try (var g = Autograd.noGrad()) {
            z = w.mul(2).sum();
        }
        fails(AutogradException.class, z::backward, "does not require grad");
        assertNull(w.grad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_second_backward_without_retain_graph_names_the_node_and_retain_graph(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.exp().sum();
        y.backward();
        Snapshot sx = Snapshot.of(x);
        fails(AutogradException.class, y::backward, "Trying to backward through the graph a second time",
                "ExpBackward0", "retainGraph=true");
        assertIntact(sx);
        assertArrayEquals(new double[] {Math.exp(1), Math.exp(2)}, x.grad().toDoubleArray(), 1e-5,
                "a failed second backward must not change the first one's gradient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void in_place_on_a_leaf_requiring_grad_names_the_op_and_suggests_no_grad(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Snapshot sx = Snapshot.of(x);
        String leaf = "a leaf Variable that requires grad is being used in an in-place operation";
        fails(AutogradException.class, () -> x.add_(1), "add_", leaf, "noGrad");
        fails(AutogradException.class, () -> x.mul_(2), "mul_", leaf);
        fails(AutogradException.class, () -> x.fill_(0), "fill_", leaf);
        fails(AutogradException.class, x::zero_, "zero_", leaf);
        fails(AutogradException.class, () -> x.copy_(Tensor.ones(2)), "copy_", leaf);
        fails(AutogradException.class, () -> x.add_(Tensor.ones(2)), "add_", leaf);
        fails(AutogradException.class, () -> x.set(0, 5.0), "a view of a leaf Variable");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void modifying_a_saved_tensor_in_place_names_the_node_and_both_versions(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.exp();
        Tensor loss = y.sum();
        y.add_(1);
        fails(AutogradException.class, loss::backward, "modified by an inplace operation", "ExpBackward0",
                "[3]", "is at version 1; expected version 0", "clone()");
        assertNull(x.grad(), "a failed backward must not write a gradient");

        Tensor a = Tensor.of(1, 2).requiresGrad_();
        Tensor b = a.mul(1);
        Tensor c = b.sin();
        b.mul_(3).add_(1);
        fails(AutogradException.class, () -> c.sum().backward(), "SinBackward0", "is at version 2; expected "
                + "version 0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void set_grad_with_the_wrong_shape_names_both_shapes(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        x.mul(2).sum().backward();
        Snapshot sx = Snapshot.of(x);
        fails(IllegalArgumentException.class, () -> x.setGrad(Tensor.ones(2)), "setGrad", "different size",
                "[2]", "[3]");
        fails(IllegalArgumentException.class,
                () -> x.setGrad(Tensor.of(new double[] {1, 1, 1}, DType.FLOAT64, 3)), "setGrad", "float64",
                "float32");
        assertIntact(sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void autograd_grad_with_an_unused_input_names_it_and_suggests_allow_unused(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor unused = Tensor.of(3, 4).requiresGrad_();
        Tensor y = x.mul(x).sum();
        fails(AutogradException.class, () -> Autograd.grad(List.of(y), List.of(x, unused), null, true, false),
                "grad", "input 1", "appears to not have been used in the graph", "allowUnused=true");
        assertNull(x.grad());
        assertNull(unused.grad());
        Tensor noGrad = Tensor.of(5, 6);
        fails(AutogradException.class, () -> Autograd.grad(List.of(y), List.of(noGrad), null, true, false),
                "input 0", "does not require grad");
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x), null, false, false);
        assertArrayEquals(new double[] {2, 4}, g.get(0).toDoubleArray(), 0.0,
                "a failed Autograd.grad must not free the graph");
    }

    // ---- devices -----------------------------------------------------------------------

    @Test
    void asking_for_a_device_that_is_not_there_names_the_devices_present() {
        String present = Device.available().stream().map(Device::name).collect(Collectors.joining(", "));
        IllegalArgumentException e = fails(IllegalArgumentException.class, () -> Device.of("opencl:7"),
                "opencl:7", "devices present", present);
        for (Device d : Device.available()) {
            assertTrue(e.getMessage().contains(d.name()), e.getMessage());
        }
        fails(IllegalArgumentException.class, () -> Device.opencl(7), "opencl:7", present);
        fails(IllegalArgumentException.class, () -> Device.of("cuda"), "'cuda'", present);
        assertEquals("cpu", Device.of("cpu").name());
    }

    // ---- memory ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void using_a_closed_tensor_is_an_illegal_state_naming_the_op(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        Tensor other = Tensor.ones(2, 3);
        x.close();
        String closed = "closed";
        fails(IllegalStateException.class, x::exp, "exp", closed);
        fails(IllegalStateException.class, () -> x.add(other), "add", closed);
        fails(IllegalStateException.class, () -> other.add(x), "add", closed);
        fails(IllegalStateException.class, () -> x.matmul(other.t()), "matmul", closed);
        fails(IllegalStateException.class, x::sum, "sum", closed);
        fails(IllegalStateException.class, () -> x.view(6), "view", closed);
        fails(IllegalStateException.class, x::toFloatArray, "toFloatArray", closed);
        fails(IllegalStateException.class, x::item, "item", closed);
        fails(IllegalStateException.class, () -> x.add_(1), "add_", closed);
        fails(IllegalStateException.class, () -> other.copy_(x), "copy_", closed);
        fails(IllegalStateException.class, () -> x.to(DType.FLOAT64), "to", closed);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, other.toDoubleArray(), 0.0,
                "the other operand is intact");
    }

    // ---- in place ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void copy_from_an_unbroadcastable_source_names_both_shapes(Device d) {
        OnDevice.use(d);
        Tensor dst = range(2, 3);
        Tensor src = Tensor.ones(4);
        Snapshot sd = Snapshot.of(dst);
        Snapshot ss = Snapshot.of(src);
        fails(IllegalArgumentException.class, () -> dst.copy_(src), "copy_", "(3)", "(4)");
        Tensor bigger = Tensor.ones(2, 2, 3);
        fails(IllegalArgumentException.class, () -> dst.copy_(bigger), "copy_", "[2, 2, 3]", "[2, 3]");
        Tensor row = Tensor.ones(2, 3);
        Tensor small = Tensor.ones(3);
        fails(IllegalArgumentException.class, () -> small.copy_(row), "copy_", "[2, 3]", "[3]");
        assertIntact(sd, ss);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void add_in_place_whose_broadcast_shape_differs_from_self_names_the_shapes(Device d) {
        OnDevice.use(d);
        Tensor self = Tensor.of(1, 2, 3);
        Tensor other = Tensor.ones(2, 3);
        Snapshot ss = Snapshot.of(self);
        Snapshot so = Snapshot.of(other);
        fails(IllegalArgumentException.class, () -> self.add_(other), "add_", "[3]", "[2, 3]",
                "doesn't match the broadcast shape");
        fails(IllegalArgumentException.class, () -> self.add_(Tensor.ones(4)), "add_", "(3)", "(4)");
        assertIntact(ss, so);
    }

    // ---- reductions and creation -------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void max_or_min_of_an_empty_tensor_names_the_op_and_the_shape(Device d) {
        OnDevice.use(d);
        Tensor empty = Tensor.zeros(0, 3).requiresGrad_();
        Snapshot se = Snapshot.of(empty);
        fails(IllegalArgumentException.class, empty::max, "max()", "[0, 3]", "non-empty");
        fails(IllegalArgumentException.class, empty::min, "min()", "[0, 3]");
        assertIntact(se);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void arange_with_a_zero_step_or_an_inconsistent_sign_is_rejected(Device d) {
        OnDevice.use(d);
        fails(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0), "arange", "step must be nonzero");
        fails(IllegalArgumentException.class, () -> Tensor.arange(5, 0, 1), "arange", "step sign");
        fails(IllegalArgumentException.class, () -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1), "arange",
                "Infinity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void negative_dims_in_a_factory_name_the_dim_and_the_shape(Device d) {
        OnDevice.use(d);
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, -2), "negative dimension -2", "[2, -2]");
        fails(IllegalArgumentException.class, () -> Tensor.ones(-1), "negative dimension -1");
        fails(IllegalArgumentException.class, () -> Tensor.full(3, 4, -5), "negative dimension -5");
        fails(IllegalArgumentException.class, () -> Tensor.rand(-3), "rand", "negative dimension -3");
        fails(IllegalArgumentException.class, () -> Tensor.randn(2, -1), "randn", "negative dimension -1");
        fails(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "Tensor.of", "[2, 2]",
                "3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void ragged_rows_name_the_row_and_both_lengths(Device d) {
        OnDevice.use(d);
        fails(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}}), "row 1",
                "length 2", "got 1");
    }
}
