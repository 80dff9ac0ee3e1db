package dev.clgrad.opencl;

/** An OpenCL device cannot hold a buffer; the message names the sizes and the remedy. */
public final class ClOutOfMemoryException extends ClException {
    private static final long serialVersionUID = 1L;

    ClOutOfMemoryException(String message) {
        super(message, null);
    }
}
