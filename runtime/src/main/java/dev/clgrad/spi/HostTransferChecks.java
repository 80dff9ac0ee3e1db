package dev.clgrad.spi;

/** The checks every backend makes on a host transfer before touching memory. */
public final class HostTransferChecks {
    private HostTransferChecks() {
    }

    /**
     * Throws {@link IllegalArgumentException} naming {@code what} unless {@code bytes} bytes from
     * {@code byteOffset} lie inside {@code buffer} ({@code bufferBytes} long) and start and end on
     * element boundaries.
     */
    public static void check(String what, Buffer buffer, long byteOffset, long bytes, long bufferBytes) {
        int size = buffer.elementType().byteSize();
        if (byteOffset < 0 || bytes < 0 || byteOffset > bufferBytes - bytes) {
            throw new IllegalArgumentException(what + ": bytes [" + byteOffset + ", " + (byteOffset + bytes)
                    + ") are outside " + buffer + " (" + bufferBytes + " bytes)");
        }
        if (byteOffset % size != 0 || bytes % size != 0) {
            throw new IllegalArgumentException(what + ": bytes [" + byteOffset + ", " + (byteOffset + bytes)
                    + ") do not fall on the " + size + "-byte elements of " + buffer);
        }
    }
}
