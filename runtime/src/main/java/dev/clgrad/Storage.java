package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device buffer shared by a tensor and its views, released to its backend when the last
 * tensor referring to it lets go.
 */
final class Storage {
    final Backend backend;
    final Buffer buffer;
    private final AtomicInteger references = new AtomicInteger(1);

    Storage(Backend backend, Buffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    void retain() {
        if (references.getAndIncrement() <= 0) {
            references.decrementAndGet();
            throw new IllegalStateException("storage was already released; the tensor it belonged to was closed");
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            backend.release(buffer);
        }
    }
}
