package dev.clgrad.opencl;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenCL backend's own machinery: the program cache in memory and on disk, build failures,
 * the status funnel, the allocator's size classes and out-of-memory errors, and closing. Device
 * tests open the first OpenCL device; a missing one is a skip, or a failure under
 * {@code -Dclgrad.requireOpenCL=true}.
 */
class ClBackendTest {

    /** The first OpenCL device, opened with its own program cache folder (null: none). */
    static ClBackend open(Path cacheDir) {
        List<Backend> all = ClTestDevices.open(cacheDir, "the OpenCL backend's machinery");
        for (Backend other : all.subList(1, all.size())) {
            ((ClBackend) other).close();
        }
        return (ClBackend) all.get(0);
    }

    private static void fillAndCheck(ClBackend be) {
        Buffer b = be.allocate(ElementType.FLOAT32, 5);
        be.fill(new View(b, Layout.contiguous(5)), 2.5);
        float[] out = new float[5];
        HostTransfers.read(be, b, 0, out);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, out);
        be.release(b);
    }

    @Test
    void a_later_backend_loads_its_programs_from_the_disk_cache_instead_of_compiling(@TempDir Path dir)
            throws IOException {
        try (ClBackend first = open(dir)) {
            fillAndCheck(first);
            assertEquals(1, first.programsBuiltFromSource());
            assertEquals(0, first.programsLoadedFromDisk());
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> bins = files.filter(p -> p.toString().endsWith(".bin")).toList();
            assertEquals(1, bins.size(), "one binary per program: " + bins);
        }
        try (ClBackend second = open(dir)) {
            fillAndCheck(second);
            assertEquals(0, second.programsBuiltFromSource(), "nothing compiled the second time");
            assertEquals(1, second.programsLoadedFromDisk());
        }
    }

    @Test
    void a_corrupt_cache_entry_is_rebuilt_from_source(@TempDir Path dir) throws IOException {
        try (ClBackend first = open(dir)) {
            fillAndCheck(first);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.write(p, new byte[] {1, 2, 3});
            }
        }
        try (ClBackend second = open(dir)) {
            fillAndCheck(second);
            assertEquals(1, second.programsBuiltFromSource());
        }
    }

    @Test
    void a_build_failure_names_the_file_the_options_the_device_and_the_compiler_log() {
        try (ClBackend be = open(null)) {
            ClException e = assertThrows(ClException.class, () -> be.kernel("broken_for_test.cl", "broken"));
            String m = e.getMessage();
            assertTrue(m.contains("CL_BUILD_PROGRAM_FAILURE"), m);
            assertTrue(m.contains("broken_for_test.cl"), m);
            assertTrue(m.contains(be.info().name()), m);
            assertTrue(m.contains("undeclared_identifier"), "the build log: " + m);
        }
    }

    @Test
    void a_buffer_larger_than_the_device_allows_is_an_out_of_memory_error_with_the_sizes() {
        try (ClBackend be = open(null)) {
            long tooMany = be.info().globalMemoryBytes();
            ClOutOfMemoryException e = assertThrows(ClOutOfMemoryException.class,
                    () -> be.allocate(ElementType.FLOAT32, tooMany));
            assertTrue(e.getMessage().contains(Long.toString(tooMany)) && e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"),
                    e.getMessage());
            fillAndCheck(be);
        }
    }

    @Test
    void a_kernel_launched_again_with_some_arguments_changed_uses_the_new_ones_and_keeps_the_others() {
        // the backend skips clSetKernelArg for arguments equal to the last launch's: alternate
        // buffers, offsets, scalars and lengths on one kernel and check every result
        try (ClBackend be = open(null)) {
            Buffer a = be.allocate(ElementType.FLOAT32, 4);
            Buffer b = be.allocate(ElementType.FLOAT32, 4);
            HostTransfers.write(be, a, new float[] {1, 2, 3, 4});
            HostTransfers.write(be, b, new float[] {10, 20, 30, 40});
            Buffer out = be.allocate(ElementType.FLOAT32, 4);
            float[] got = new float[4];
            be.elementwise(dev.clgrad.spi.ElementwiseOp.ADD_SCALAR, 1, new View(out, Layout.contiguous(4)),
                    new View(a, Layout.contiguous(4)));
            HostTransfers.read(be, out, 0, got);
            assertArrayEquals(new float[] {2, 3, 4, 5}, got);
            be.elementwise(dev.clgrad.spi.ElementwiseOp.ADD_SCALAR, 1, new View(out, Layout.contiguous(4)),
                    new View(b, Layout.contiguous(4)));
            HostTransfers.read(be, out, 0, got);
            assertArrayEquals(new float[] {11, 21, 31, 41}, got, "new input buffer, same scalar");
            be.elementwise(dev.clgrad.spi.ElementwiseOp.ADD_SCALAR, -1, new View(out, Layout.contiguous(4)),
                    new View(b, Layout.contiguous(4)));
            HostTransfers.read(be, out, 0, got);
            assertArrayEquals(new float[] {9, 19, 29, 39}, got, "same buffers, new scalar");
            be.elementwise(dev.clgrad.spi.ElementwiseOp.ADD_SCALAR, -1, new View(out, new Layout(new long[] {2},
                    new long[] {1}, 2)), new View(a, new Layout(new long[] {2}, new long[] {1}, 0)));
            HostTransfers.read(be, out, 0, got);
            assertArrayEquals(new float[] {9, 19, 0, 1}, got, "new offsets and length");
            for (Buffer x : List.of(a, b, out)) {
                be.release(x);
            }
        }
    }

    @Test
    void released_buffers_return_to_the_cache_and_are_handed_out_again() {
        try (ClBackend be = open(null)) {
            Buffer a = be.allocate(ElementType.FLOAT32, 1000);
            long live = be.memoryStats().liveBytes();
            be.release(a);
            assertEquals(live - 4096, be.memoryStats().liveBytes());
            assertEquals(4096, be.memoryStats().cachedBytes());
            Buffer b = be.allocate(ElementType.FLOAT32, 1010);
            assertEquals(0, be.memoryStats().cachedBytes(), "same size class: reused");
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> {
                be.release(b);
                be.release(b);
            });
            assertTrue(twice.getMessage().contains("already released"), twice.getMessage());
            be.emptyCache();
            assertEquals(0, be.memoryStats().cachedBytes());
        }
    }

    @Test
    void the_cache_holds_at_most_its_cap_evicting_the_largest_buffers_first() {
        ClBackend be;
        System.setProperty("clgrad.memory.cacheCap", "1m");
        try {
            be = open(null);
        } finally {
            System.clearProperty("clgrad.memory.cacheCap");
        }
        try (be) {
            Buffer small = be.allocate(ElementType.FLOAT32, 64 << 10);   // 256 KiB
            Buffer medium = be.allocate(ElementType.FLOAT32, 128 << 10); // 512 KiB
            Buffer large = be.allocate(ElementType.FLOAT32, 160 << 10);  // 640 KiB
            Buffer huge = be.allocate(ElementType.FLOAT32, 1 << 20);     // 4 MiB, above the cap
            be.release(small);
            be.release(medium);
            assertEquals(768 << 10, be.memoryStats().cachedBytes());
            be.release(large);
            assertEquals((256 + 640) << 10, be.memoryStats().cachedBytes(), "the 512 KiB buffer was evicted");
            be.release(huge);
            assertEquals((256 + 640) << 10, be.memoryStats().cachedBytes(), "a buffer above the cap is not cached");
            assertEquals(0, be.memoryStats().liveBytes());
        }
    }

    @Test
    void a_closed_backend_refuses_work_and_closing_again_does_nothing() {
        ClBackend be = open(null);
        be.close();
        assertDoesNotThrow(be::close);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> be.allocate(ElementType.FLOAT32, 4));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void size_classes_waste_at_most_a_quarter() {
        assertEquals(512, ClAllocator.sizeClass(4));
        assertEquals(1024, ClAllocator.sizeClass(513));
        assertEquals(4096, ClAllocator.sizeClass(4096));
        assertEquals(5120, ClAllocator.sizeClass(4097));
        for (long bytes = 4097; bytes < 1L << 30; bytes = bytes * 3 / 2 + 7) {
            long c = ClAllocator.sizeClass(bytes);
            assertTrue(c >= bytes && c <= bytes * 5 / 4 + 1, bytes + " -> " + c);
        }
    }

    @Test
    void every_failed_status_is_named() {
        ClException e = assertThrows(ClException.class, () -> ClStatus.check(-4, "clCreateBuffer", "1024 bytes"));
        assertEquals(-4, e.status());
        assertEquals("clCreateBuffer failed with CL_MEM_OBJECT_ALLOCATION_FAILURE (-4): 1024 bytes", e.getMessage());
        assertEquals("CL_INVALID_KERNEL_ARGS", ClStatus.name(-52));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClStatus.name(-1001));
        assertEquals("an unknown OpenCL status", ClStatus.name(-12345));
    }
}
