package dev.clgrad.opencl;

import org.jocl.CL;

/**
 * The one funnel every OpenCL status code passes through: a failure becomes a
 * {@link ClException} that names the status ({@code CL_MEM_OBJECT_ALLOCATION_FAILURE}), the
 * call and what it was asked to do.
 */
final class ClStatus {
    private ClStatus() {
    }

    /** Throws unless {@code status} is {@code CL_SUCCESS}. */
    static void check(int status, String call, Object detail) {
        if (status != CL.CL_SUCCESS) {
            throw new ClException(status, call, String.valueOf(detail));
        }
    }

    /** Checks the error code an object-returning call stored in {@code err[0]}, and returns the object. */
    static <T> T checked(T result, int[] err, String call, Object detail) {
        check(err[0], call, detail);
        return result;
    }

    /** The name of a status code, such as {@code CL_INVALID_KERNEL_ARGS}. */
    static String name(int status) {
        return CL.stringFor_errorCode(status);
    }

    /** True for the statuses that mean the device ran out of memory. */
    static boolean isOutOfMemory(int status) {
        return status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY;
    }
}
