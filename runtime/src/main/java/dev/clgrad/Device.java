package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.MemoryStats;

import java.util.List;

/**
 * A device tensors live on: the pure-Java CPU backend ({@code cpu}) or an OpenCL device
 * ({@code opencl:N}).
 *
 * <p>The default device is the first OpenCL GPU, else the first OpenCL device, else the CPU
 * backend; {@code -Dclgrad.device=cpu|opencl|opencl:N} or the environment variable
 * {@code CLGRAD_DEVICE} override it. Falling back to the CPU backend is logged once at WARN
 * with the reason.
 */
public final class Device {
    private final String name;
    private final Backend backend;
    /** The runtime's one door to {@link #backend}: every call it makes goes through here. */
    private final Dispatch dispatch;
    /** Null for heap-backed devices, whose memory the heap's own collections govern. */
    private final MemoryGovernor governor;

    Device(String name, Backend backend) {
        this.name = name;
        this.backend = backend;
        this.dispatch = new Dispatch(name, backend);
        this.governor = backend.heapManaged() ? null : new MemoryGovernor(name, backend);
    }

    MemoryGovernor governor() {
        return governor;
    }

    /** The pure-Java CPU device. */
    public static Device cpu() {
        return DeviceRegistry.get().byName("cpu");
    }

    /** OpenCL device number {@code index}; an error listing the devices present when absent. */
    public static Device opencl(int index) {
        return DeviceRegistry.get().byName("opencl:" + index);
    }

    /** A device by its name ({@code cpu}, {@code opencl}, {@code opencl:1}). */
    public static Device of(String name) {
        Checks.notNull(name, "Device.of", "name");
        return DeviceRegistry.get().byName(name);
    }

    /** Every device present: the CPU device first, then each OpenCL device. */
    public static List<Device> available() {
        return DeviceRegistry.get().all();
    }

    /** The device new tensors are created on. */
    public static Device getDefault() {
        return DeviceRegistry.get().getDefault();
    }

    /** Makes {@code device} the default for new tensors (process-wide, like PyTorch's default device). */
    public static void setDefault(Device device) {
        Checks.notNull(device, "Device.setDefault", "device");
        DeviceRegistry.get().setDefault(device);
    }

    /** Waits until all work queued on this device has finished ({@code torch.cuda.synchronize()}). */
    public void synchronize() {
        dispatch.synchronize();
    }

    /** What the driver reports about this device. */
    public DeviceInfo info() {
        return backend.info();
    }

    /**
     * Returns the memory the allocator keeps cached for reuse to the system
     * ({@code torch.cuda.empty_cache()}); tensors in use keep theirs.
     */
    public void emptyCache() {
        backend.emptyCache();
    }

    /** Live, cached and peak device memory in bytes, once the calls pending on it have run. */
    public MemoryStats memoryStats() {
        return dispatch.memoryStats();
    }

    /** {@code cpu} or {@code opencl:N}. */
    public String name() {
        return name;
    }

    /**
     * What the runtime has asked of this device so far and what reached it: primitive calls,
     * launches (with fusion, several calls become one), host-to-device writes and device-to-host
     * reads with their bytes. Counts only grow; take differences around the code of interest.
     */
    public Counters counters() {
        return dispatch.counters();
    }

    /** Whether this device defers elementwise calls and fuses them ({@code -Dclgrad.fusion}, on by default). */
    public boolean fusing() {
        return dispatch.fusing();
    }

    /**
     * Turns lazy evaluation and kernel fusion on or off for this device from now on (the start
     * value is {@code -Dclgrad.fusion}, on by default); work pending on it runs first. Results are
     * bit for bit the same either way: this is for comparing and debugging.
     */
    public void setFusing(boolean on) {
        dispatch.setFusing(on);
    }

    /**
     * Calls of the runtime on a device ({@link #counters()}).
     *
     * @param primitives elementwise, reduce, matmul, gather, scatter-add, copy, fill and random calls
     *     the runtime made
     * @param launches calls that reached the backend: primitives run alone plus fused kernels (on
     *     OpenCL, at least one kernel launch each)
     * @param fusedKernels fused graphs run, each one pass standing for several primitives
     * @param elided primitives never run because nothing needed their results
     * @param kernelsBuilt fused kernels the backend generated and built so far
     * @param kernelCacheHits fused graphs served by a kernel built before
     * @param hostWrites host-to-device transfers (a large one counts once per 64 MiB piece)
     * @param hostReads device-to-host transfers
     * @param hostWriteBytes bytes written from the host
     * @param hostReadBytes bytes read to the host
     */
    public record Counters(long primitives, long launches, long fusedKernels, long elided, long kernelsBuilt,
                           long kernelCacheHits, long hostWrites, long hostReads, long hostWriteBytes,
                           long hostReadBytes) {
    }

    /** The runtime's door to the backend: counts every call ({@link #counters()}). */
    Backend dispatch() {
        return dispatch;
    }

    /** The backend running this device's primitives (for backend authors and tests). */
    public Backend backend() {
        return backend;
    }

    /** Whether this is the pure-Java CPU device. */
    public boolean isCpu() {
        return "cpu".equals(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
