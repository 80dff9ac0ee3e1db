package dev.clgrad.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sets kernel arguments, skipping those that still hold the value last set on the same kernel
 * object (OpenCL keeps arguments between launches). Each {@code clSetKernelArg} through JOCL
 * costs about a microsecond, and a launch has 10 to 16 arguments: on a CPU device, where a small
 * kernel runs in a few microseconds, setting them all made the host the bottleneck (measured on
 * PoCL: 9-14 us per launch with every argument set, 2-5 us with none). In a training loop most
 * arguments repeat: buffers come back from the allocator's cache, offsets and sizes recur.
 *
 * <p>Not thread-safe: the backend calls it under its enqueue lock.
 */
final class ClKernelArgs {
    private final Map<cl_kernel, Object[]> last = new IdentityHashMap<>();

    /** Sets {@code args} on {@code kernel} (see {@link ClBackend#launch} for the accepted types). */
    void set(cl_kernel kernel, String what, Object[] args) {
        // a kernel's argument count is fixed, so one slot array per kernel object serves every launch
        Object[] prev = last.computeIfAbsent(kernel, k -> new Object[args.length]);
        for (int i = 0; i < args.length; i++) {
            Object key = key(args[i]);
            if (!same(prev[i], key)) {
                prev[i] = null; // a failed set leaves the argument unknown
                set(kernel, what, i, args[i]);
                prev[i] = key instanceof long[] v ? v.clone() : key;
            }
        }
    }

    /** What identifies an argument's value: the {@code cl_mem} of a buffer, else the value itself. */
    private static Object key(Object a) {
        return a instanceof ClBuffer b ? b.mem : a;
    }

    private static boolean same(Object prev, Object key) {
        if (prev == null) {
            return false;
        }
        if (key instanceof cl_mem) {
            return prev == key;
        }
        if (key instanceof long[] v) {
            return prev instanceof long[] p && Arrays.equals(p, v);
        }
        return Objects.equals(prev, key);
    }

    private static void set(cl_kernel kernel, String what, int i, Object a) {
        int status;
        if (a instanceof ClBuffer b) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(b.mem));
        } else if (a instanceof Long v) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_long, Pointer.to(new long[] {v}));
        } else if (a instanceof Integer v) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
        } else if (a instanceof Byte v) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_uchar, Pointer.to(new byte[] {v}));
        } else if (a instanceof Float v) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
        } else if (a instanceof Double v) {
            status = CL.clSetKernelArg(kernel, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
        } else if (a instanceof long[] v && v.length == ClShape.MAX_RANK) {
            status = CL.clSetKernelArg(kernel, i, (long) Sizeof.cl_long * v.length, Pointer.to(v));
        } else if (a instanceof ClBackend.LocalBytes l) {
            status = CL.clSetKernelArg(kernel, i, l.bytes(), null);
        } else {
            throw new IllegalArgumentException(what + ": unsupported kernel argument " + i + ": " + a);
        }
        ClStatus.check(status, "clSetKernelArg", what + " argument " + i);
    }
}
