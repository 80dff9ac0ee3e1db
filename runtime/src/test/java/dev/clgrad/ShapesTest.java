package dev.clgrad;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesTest {

    @Test
    void broadcasting_aligns_trailing_dims_and_stretches_ones() {
        assertArrayEquals(new long[] {2, 4, 3}, Shapes.broadcast("add", new long[] {2, 1, 3}, new long[] {4, 1}));
        assertArrayEquals(new long[] {3}, Shapes.broadcast("add", new long[] {3}, new long[0]));
        assertArrayEquals(new long[] {0, 3}, Shapes.broadcast("add", new long[] {0, 1}, new long[] {3}));
    }

    @Test
    void broadcasting_mismatch_names_both_sizes_and_the_dimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.broadcast("add", new long[] {2, 3}, new long[] {2, 4}));
        assertTrue(e.getMessage().contains("add"), e.getMessage());
        assertTrue(e.getMessage().contains("the size of tensor a (3) must match the size of tensor b (4) at "
                + "non-singleton dimension 1"), e.getMessage());
    }

    @Test
    void negative_dims_wrap_and_out_of_range_dims_are_rejected() {
        assertEquals(2, Shapes.wrapDim("sum", -1, 3));
        assertEquals(0, Shapes.wrapDim("sum", -1, 0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Shapes.wrapDim("sum", 3, 3));
        assertTrue(e.getMessage().contains("[-3, 2]"), e.getMessage());
    }

    @Test
    void one_size_can_be_inferred() {
        assertArrayEquals(new long[] {2, 6}, Shapes.inferSize("view", new long[] {2, -1}, 12));
        assertThrows(IllegalArgumentException.class, () -> Shapes.inferSize("view", new long[] {-1, -1}, 12));
        assertThrows(IllegalArgumentException.class, () -> Shapes.inferSize("view", new long[] {5, -1}, 12));
        assertThrows(IllegalArgumentException.class, () -> Shapes.inferSize("view", new long[] {5}, 12));
    }

    @Test
    void view_strides_exist_only_when_no_copy_is_needed() {
        // contiguous [2,3] viewed as [3,2] and [6]
        assertArrayEquals(new long[] {2, 1}, Shapes.viewStrides(new long[] {2, 3}, new long[] {3, 1},
                new long[] {3, 2}));
        assertArrayEquals(new long[] {1}, Shapes.viewStrides(new long[] {2, 3}, new long[] {3, 1}, new long[] {6}));
        // a transposed [3,2] cannot be flattened, but can gain a size-1 dim
        assertNull(Shapes.viewStrides(new long[] {3, 2}, new long[] {1, 3}, new long[] {6}));
        long[] s = Shapes.viewStrides(new long[] {3, 2}, new long[] {1, 3}, new long[] {3, 1, 2});
        assertArrayEquals(new long[] {1, 6, 3}, s, "as PyTorch: torch.ones(2,3).t().view(3,1,2).stride()");
        // 0-dim to [1] and back
        assertArrayEquals(new long[] {1}, Shapes.viewStrides(new long[0], new long[0], new long[] {1}));
        assertArrayEquals(new long[0], Shapes.viewStrides(new long[] {1}, new long[] {1}, new long[0]));
    }

    @Test
    void float64_wins_dtype_promotion() {
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT32, DType.FLOAT32));
    }
}
