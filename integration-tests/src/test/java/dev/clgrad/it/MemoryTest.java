package dev.clgrad.it;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.autograd.AutogradException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic release of device memory: {@code close()}, reference-counted storage shared by
 * views, {@link TensorScope} and the device's live-byte accounting.
 */
@ExtendWith(OnDevice.class)
class MemoryTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    private static long live(Device d) {
        d.synchronize();
        return d.memoryStats().liveBytes();
    }

    private static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-6, t.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void close_is_idempotent_and_later_use_is_an_illegal_state(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3);
        assertFalse(x.isClosed());
        x.close();
        assertTrue(x.isClosed());
        assertDoesNotThrow(x::close, "a second close() is a no-op");
        assertDoesNotThrow(x::close, "so is a third");
        assertTrue(x.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, x::exp);
        assertTrue(e.getMessage().contains("exp") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, x::toDoubleArray);
        assertThrows(IllegalStateException.class, () -> x.add(1));
        assertThrows(IllegalStateException.class, () -> x.view(3));
        assertThrows(IllegalStateException.class, () -> x.fill_(0));
        assertThrows(IllegalStateException.class, x::detach);
        assertArrayEquals(new long[] {3}, x.shape(), "metadata stays readable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void try_with_resources_closes_a_tensor(Device d) {
        OnDevice.use(d);
        Tensor escaped;
        try (Tensor t = Tensor.ones(4)) {
            escaped = t;
            assertValues(t, 1, 1, 1, 1);
        }
        assertTrue(escaped.isClosed());
        assertThrows(IllegalStateException.class, escaped::sum);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void to_string_of_a_closed_tensor_does_not_throw(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(2);
        x.close();
        y.close();
        String sx = assertDoesNotThrow(x::toString);
        String sy = assertDoesNotThrow(y::toString);
        assertTrue(sx.contains("closed"), sx);
        assertTrue(sy.contains("closed"), sy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void closing_a_base_keeps_its_views_usable(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.arange(6);
        Tensor matrix = base.view(2, 3);
        Tensor transposed = matrix.t();
        Tensor row = matrix.get(1);
        base.close();
        assertTrue(base.isClosed());
        assertFalse(matrix.isClosed());
        assertValues(matrix, 0, 1, 2, 3, 4, 5);
        assertValues(transposed, 0, 3, 1, 4, 2, 5);
        assertValues(row, 3, 4, 5);
        row.fill_(9);
        assertValues(matrix, 0, 1, 2, 9, 9, 9);
        assertValues(transposed.sum(1, false), 9, 10, 11);
        assertThrows(IllegalStateException.class, () -> base.view(3, 2),
                "the closed base itself cannot make new views");
        Tensor moreView = matrix.view(6);
        assertValues(moreView, 0, 1, 2, 9, 9, 9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void closing_views_keeps_their_base_usable(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.arange(6).reshape(2, 3).contiguous();
        Tensor t = base.t();
        Tensor row = base.get(0);
        Tensor expanded = base.unsqueeze(0).expand(2, 2, 3);
        t.close();
        row.close();
        expanded.close();
        assertFalse(base.isClosed());
        assertValues(base, 0, 1, 2, 3, 4, 5);
        base.add_(1);
        assertValues(base, 1, 2, 3, 4, 5, 6);
        assertValues(base.t(), 1, 4, 2, 5, 3, 6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void detach_and_data_keep_the_storage_alive_after_the_original_is_closed(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor detached = x.detach();
        Tensor data = x.data();
        x.close();
        assertValues(detached, 1, 2, 3);
        assertValues(data, 1, 2, 3);
        data.mul_(2);
        assertValues(detached, 2, 4, 6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void live_bytes_go_back_down_after_closing(Device d) throws InterruptedException {
        OnDevice.use(d);
        long before = TestDevices.settledLiveBytes(d);
        Tensor a = Tensor.zeros(1000);
        Tensor b = Tensor.ones(250, 4);
        long during = live(d);
        assertTrue(during >= before + 8000, "two 4000-byte float32 tensors must be counted: before " + before
                + ", during " + during);
        a.close();
        long afterOne = live(d);
        assertTrue(afterOne <= during - 4000, "closing one releases its bytes: during " + during + ", after "
                + afterOne);
        b.close();
        assertEquals(before, live(d), "closing every tensor created returns live bytes to where they were");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void storage_shared_by_views_is_released_only_when_the_last_one_is_closed(Device d) throws InterruptedException {
        OnDevice.use(d);
        long before = TestDevices.settledLiveBytes(d);
        Tensor base = Tensor.zeros(1000);
        Tensor view = base.view(10, 100);
        Tensor slice = view.get(3);
        long allocated = live(d) - before;
        assertTrue(allocated >= 4000, "the base's 4000 bytes are live: " + allocated);
        assertTrue(allocated < 8000, "views allocate no storage of their own: " + allocated);
        base.close();
        assertEquals(before + allocated, live(d), "the views still hold the storage");
        view.close();
        assertEquals(before + allocated, live(d), "the slice still holds the storage");
        try (Tensor sum = slice.sum()) {
            assertValues(sum, 0);
        }
        slice.close();
        assertEquals(before, live(d), "the last view's close releases the storage");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_scope_closes_what_was_created_inside_it_except_kept_tensors(Device d) {
        OnDevice.use(d);
        Tensor outside = Tensor.of(1, 2, 3);
        Tensor a;
        Tensor b;
        Tensor kept;
        Tensor closedByHand;
        try (TensorScope scope = TensorScope.open()) {
            a = outside.mul(2);
            b = a.exp();
            closedByHand = Tensor.ones(2);
            closedByHand.close();
            kept = scope.keep(b.log());
            assertSame(kept, scope.keep(kept), "keep is idempotent and returns its argument");
            assertFalse(a.isClosed());
        }
        assertTrue(a.isClosed());
        assertTrue(b.isClosed());
        assertTrue(closedByHand.isClosed());
        assertFalse(kept.isClosed());
        assertFalse(outside.isClosed(), "a tensor created outside the scope is not the scope's");
        assertValues(kept, 2, 4, 6);
        assertValues(outside, 1, 2, 3);
        assertThrows(IllegalStateException.class, a::sum);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_view_made_inside_a_scope_of_a_tensor_from_outside_is_closed_without_freeing_the_base(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.arange(6);
        Tensor view;
        try (TensorScope scope = TensorScope.open()) {
            view = base.view(2, 3);
            view.get(0).fill_(7);
        }
        assertTrue(view.isClosed());
        assertFalse(base.isClosed());
        assertValues(base, 7, 7, 7, 3, 4, 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void nested_scopes_move_a_kept_tensor_to_the_enclosing_scope(Device d) {
        OnDevice.use(d);
        Tensor keptInner;
        Tensor keptTwice;
        Tensor innerTemp;
        Tensor outerTemp;
        try (TensorScope outer = TensorScope.open()) {
            outerTemp = Tensor.ones(2);
            try (TensorScope inner = TensorScope.open()) {
                innerTemp = Tensor.ones(3);
                keptInner = inner.keep(innerTemp.mul(2));
                keptTwice = inner.keep(innerTemp.mul(3));
            }
            assertTrue(innerTemp.isClosed(), "the inner scope closes its own tensors");
            assertFalse(keptInner.isClosed(), "a kept tensor survives its scope");
            assertFalse(outerTemp.isClosed(), "the inner scope leaves the outer scope's tensors alone");
            assertValues(keptInner, 2, 2, 2);
            outer.keep(keptTwice);
        }
        assertTrue(keptInner.isClosed(), "a tensor kept by the inner scope belongs to the outer one");
        assertTrue(outerTemp.isClosed());
        assertFalse(keptTwice.isClosed(), "kept by both scopes, it outlives both");
        assertValues(keptTwice, 3, 3, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void gradients_of_leaves_created_outside_a_scope_survive_it(Device d) {
        OnDevice.use(d);
        Tensor w = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor x = Tensor.of(4, 5, 6);
        Tensor loss;
        Tensor product;
        Tensor insideLeaf;
        try (TensorScope scope = TensorScope.open()) {
            product = w.mul(x);
            loss = product.sum();
            insideLeaf = Tensor.of(1, 1).requiresGrad_();
            insideLeaf.mul(w.get(0)).sum().backward();
            loss.backward();
        }
        assertTrue(loss.isClosed());
        assertTrue(product.isClosed());
        assertTrue(insideLeaf.isClosed());
        Tensor grad = w.grad();
        assertNotNull(grad);
        assertFalse(grad.isClosed(), "the gradient stored in a leaf from outside belongs to that leaf");
        assertValues(grad, 6, 5, 6);
        assertFalse(w.isClosed());
        assertFalse(x.isClosed());

        try (TensorScope scope = TensorScope.open()) {
            w.mul(w).sum().backward();
        }
        assertSame(grad, w.grad(), "accumulation inside a second scope keeps the same gradient tensor");
        assertFalse(grad.isClosed());
        assertValues(w.grad(), 8, 9, 12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void the_gradient_of_a_leaf_created_inside_a_scope_is_closed_with_it(Device d) {
        OnDevice.use(d);
        Tensor leaf;
        Tensor grad;
        try (TensorScope scope = TensorScope.open()) {
            leaf = Tensor.of(1, 2).requiresGrad_();
            leaf.mul(3).sum().backward();
            grad = leaf.grad();
            assertValues(grad, 3, 3);
        }
        assertTrue(leaf.isClosed());
        assertTrue(grad.isClosed(), "the gradient belongs to its leaf's scope");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_scope_returns_live_bytes_to_where_they_were(Device d) throws InterruptedException {
        OnDevice.use(d);
        Tensor w = Tensor.randn(64, 64).requiresGrad_();
        Tensor x = Tensor.randn(8, 64);
        w.matmul(x.t()).sum().backward(); // allocate w.grad() before measuring
        long before = TestDevices.settledLiveBytes(d);
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            for (int step = 0; step < 5; step++) {
                Tensor loss = x.matmul(w).relu().pow(2).mean();
                loss.backward();
            }
            kept = scope.keep(Tensor.zeros(100));
        }
        long after = live(d);
        assertTrue(after >= before + 400, "the kept tensor is live: before " + before + ", after " + after);
        kept.close();
        assertEquals(before, live(d), "everything else made inside the scope was released");
        assertFalse(w.grad().isClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void closing_a_tensor_saved_for_backward_gives_a_clear_error_at_backward(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.exp();
        Tensor loss = y.sum();
        y.close();
        AutogradException e = assertThrows(AutogradException.class, loss::backward);
        assertTrue(e.getMessage().contains("ExpBackward0") && e.getMessage().contains("closed"), e.getMessage());
    }
}
