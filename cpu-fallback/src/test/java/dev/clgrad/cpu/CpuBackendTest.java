package dev.clgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.BackendProvider;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.MemoryStats;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CpuBackendTest {
    private final CpuBackend backend = new CpuBackend();

    @Test
    void the_provider_is_found_by_service_loader_with_one_cpu_device() {
        List<BackendProvider> providers = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.family().equals("cpu")).collect(Collectors.toList());
        assertEquals(1, providers.size());
        BackendProvider p = providers.get(0);
        assertEquals(100, p.priority());
        BackendProvider.Discovery d = p.discover();
        assertEquals(1, d.backends().size());
        assertEquals(null, d.unavailableReason());
        assertInstanceOf(CpuBackend.class, d.backends().get(0));
    }

    @Test
    void device_info_describes_the_jvm_host() {
        DeviceInfo info = backend.info();
        assertEquals(DeviceInfo.Type.CPU, info.type());
        assertTrue(info.supportsFloat64());
        assertEquals(Runtime.getRuntime().maxMemory(), info.globalMemoryBytes());
        assertEquals(Runtime.getRuntime().availableProcessors(), info.computeUnits());
        assertTrue(info.name().contains(System.getProperty("os.arch")), info.name());
    }

    @Test
    void writes_and_reads_back_both_dtypes() {
        Buffer f = backend.allocate(ElementType.FLOAT32, 5);
        HostTransfers.write(backend, f, new float[] {1, 2, 3, 4});
        float[] fr = new float[2];
        HostTransfers.read(backend, f, 2, fr);
        assertArrayEquals(new float[] {3, 4}, fr);
        Buffer d = backend.allocate(ElementType.FLOAT64, 3);
        HostTransfers.write(backend, d, new double[] {0.1, 0.2, 0.3});
        double[] dr = new double[3];
        HostTransfers.read(backend, d, 0, dr);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, dr);
        assertEquals(ElementType.FLOAT64, d.elementType());
        assertEquals(3, d.capacity());
    }

    @Test
    void host_transfers_check_dtype_and_range() {
        Buffer f = backend.allocate(ElementType.FLOAT32, 4);
        assertThrows(IllegalArgumentException.class, () -> HostTransfers.write(backend, f, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> HostTransfers.write(backend, f, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> HostTransfers.read(backend, f, 3, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> HostTransfers.read(backend, f, -1, new float[1]));
    }

    @Test
    void allocating_beyond_one_java_array_names_the_size() {
        long tooMany = CpuBackend.MAX_ELEMENTS + 1;
        var e = assertThrows(IllegalArgumentException.class, () -> backend.allocate(ElementType.FLOAT32, tooMany));
        assertTrue(e.getMessage().contains(Long.toString(tooMany)) && e.getMessage().contains("float32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(ElementType.FLOAT64, -1));
    }

    @Test
    void zero_element_buffers_are_allowed() {
        Buffer b = backend.allocate(ElementType.FLOAT32, 0);
        assertEquals(0, b.capacity());
        backend.release(b);
    }

    @Test
    void memory_stats_count_live_and_peak_bytes() {
        Backend be = new CpuBackend();
        Buffer a = be.allocate(ElementType.FLOAT32, 100);
        Buffer b = be.allocate(ElementType.FLOAT64, 10);
        assertEquals(new MemoryStats(480, 0, 480), be.memoryStats());
        be.release(a);
        assertEquals(new MemoryStats(80, 400, 480), be.memoryStats());
        be.release(b);
        assertEquals(new MemoryStats(0, 480, 480), be.memoryStats());
    }

    @Test
    void released_arrays_are_reused_by_allocations_of_the_same_length_and_dtype() {
        CpuBackend be = new CpuBackend();
        CpuBuffer a = (CpuBuffer) be.allocate(ElementType.FLOAT32, 100);
        float[] array = a.f32;
        be.release(a);
        CpuBuffer other = (CpuBuffer) be.allocate(ElementType.FLOAT64, 50);
        assertNotSame(array, other.f64, "a float64 buffer of another length gets its own array");
        CpuBuffer again = (CpuBuffer) be.allocate(ElementType.FLOAT32, 100);
        assertSame(array, again.f32);
        assertEquals(0, be.memoryStats().cachedBytes());
        assertThrows(IllegalStateException.class, () -> HostTransfers.read(be, a, 0, new float[1]),
                "the released buffer stays unusable though its array lives on");
        be.release(again);
        be.emptyCache();
        assertEquals(0, be.memoryStats().cachedBytes());
        assertNotSame(array, ((CpuBuffer) be.allocate(ElementType.FLOAT32, 100)).f32);
    }

    @Test
    void releasing_twice_is_an_error() {
        Buffer a = backend.allocate(ElementType.FLOAT32, 1);
        backend.release(a);
        var e = assertThrows(IllegalStateException.class, () -> backend.release(a));
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> HostTransfers.write(backend, a, new float[1]));
    }

    @Test
    void synchronize_returns_immediately() {
        backend.synchronize();
    }
}
