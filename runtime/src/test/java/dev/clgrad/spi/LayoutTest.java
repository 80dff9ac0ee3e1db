package dev.clgrad.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutTest {

    @Test
    void contiguous_layouts_have_row_major_strides() {
        Layout l = Layout.contiguous(2, 3, 4);
        assertArrayEquals(new long[] {12, 4, 1}, l.strides());
        assertEquals(24, l.numel());
        assertTrue(l.isContiguous());
        assertEquals(24, l.extent());
    }

    @Test
    void transposed_and_broadcast_layouts_are_not_contiguous() {
        assertFalse(new Layout(new long[] {3, 2}, new long[] {1, 3}, 0).isContiguous());
        assertFalse(new Layout(new long[] {4, 3}, new long[] {0, 1}, 0).isContiguous());
        assertTrue(new Layout(new long[] {1, 3}, new long[] {99, 1}, 5).isContiguous(), "size-1 dims may have any stride");
    }

    @Test
    void empty_and_scalar_layouts() {
        Layout empty = new Layout(new long[] {3, 0}, new long[] {1, 3}, 7);
        assertEquals(0, empty.numel());
        assertTrue(empty.isContiguous());
        assertEquals(7, empty.extent());
        Layout scalar = Layout.contiguous();
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.dim());
        assertEquals(1, scalar.extent());
    }

    @Test
    void layouts_with_equal_geometry_are_equal() {
        assertEquals(Layout.contiguous(2, 3), new Layout(new long[] {2, 3}, new long[] {3, 1}, 0));
        assertEquals(Layout.contiguous(2, 3).hashCode(), new Layout(new long[] {2, 3}, new long[] {3, 1}, 0).hashCode());
    }
}
