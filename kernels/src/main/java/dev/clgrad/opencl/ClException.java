package dev.clgrad.opencl;

/**
 * An OpenCL call failed. The message names the status, the call and its arguments;
 * {@link #status()} gives the raw code.
 */
public class ClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ClException(int status, String call, String detail) {
        super(call + " failed with " + ClStatus.name(status) + " (" + status + "): " + detail);
        this.status = status;
    }

    ClException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The OpenCL status code ({@code CL_INVALID_VALUE} is -30), or 0 when no call returned one. */
    public int status() {
        return status;
    }
}
