package io.sseline.servlet.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An output that is always ready, as a socket with room is, and records every write, the thread
 * that made it ({@code writer} for the pool's threads) and every flush; it calls a write listener's
 * {@code onWritePossible} as soon as it is set, as a container does once the output is ready.
 */
final class RecordingOutput extends ServletOutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<String> writerThreads = new CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger readies = new AtomicInteger();
    /** Writes or flushes that began while another thread's was under way. */
    final AtomicInteger overlaps = new AtomicInteger();

    private final AtomicInteger inside = new AtomicInteger();

    @Override
    public boolean isReady() {
        readies.incrementAndGet();
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        try {
            listener.onWritePossible(); // the container's first call, once the output is ready
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        enter();
        String thread = Thread.currentThread().getName();
        writerThreads.add(thread.startsWith("sseline-writer-") ? "writer" : thread);
        synchronized (bytes) {
            bytes.write(b, off, len);
        }
        writes.incrementAndGet();
        inside.decrementAndGet();
    }

    @Override
    public void flush() {
        enter();
        flushes.incrementAndGet();
        inside.decrementAndGet();
    }

    private void enter() {
        if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    String written() {
        synchronized (bytes) {
            return bytes.toString(UTF_8);
        }
    }
}
