package io.sseline.servlet.internal;

import io.sseline.core.EventSerializer;
import io.sseline.servlet.SlowConsumerPolicy;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The bytes one stream has queued for its client and the container has not yet accepted: bounded
 * in bytes, taken out several events to a write, with the overflow policy applied to an event that
 * does not fit.
 *
 * <pre>{@code
 * OutboundQueue queue = new OutboundQueue(256 * 1024, SlowConsumerPolicy.DROP);
 * if (!queue.offer(bytes)) {
 *     // full: under DROP the event was counted as dropped; under DISCONNECT the stream closes
 * }
 * byte[] write = queue.take();   // one chunk, or several copied into one
 * }</pre>
 *
 * <p>It also keeps the stream's counts for metrics: the events and bytes taken for writing and the
 * most bytes ever queued, plain fields updated under the owner's lock, which every change to the queue
 * already holds, so counting costs the write path no atomic operation.
 *
 * <p>Not thread-safe: the {@link StreamEngine} that owns it calls every method holding its lock.
 */
final class OutboundQueue {
    /** Several queued chunks are copied into one write of up to this many bytes. */
    static final int MAX_COALESCED_WRITE = 64 * 1024;

    /** The empty comment of a heartbeat, shared by every stream; not counted as an event taken. */
    static final byte[] HEARTBEAT = EventSerializer.serializeComment("");

    private final int maxBytes;
    private final SlowConsumerPolicy overflowPolicy;

    // Guarded by the owner's lock.
    /**
     * Starts with room for one chunk (ArrayDeque's default is 16) and grows by doubling: an idle
     * stream holds 24 bytes of slots instead of 88, and a stream that falls behind grows it once.
     */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(1);
    /** The sum of the chunks' lengths: at most maxBytes, or the length of the one chunk queued. */
    private int bytes;
    /** The most bytes ever queued at once. */
    private int peakBytes;
    /** Chunks taken for writing, heartbeats left out. */
    private long takenEvents;
    /** Bytes taken for writing, heartbeats included. */
    private long takenBytes;

    /** Events the DROP policy refused. */
    private long dropped;

    OutboundQueue(int maxBytes, SlowConsumerPolicy overflowPolicy) {
        this.maxBytes = maxBytes;
        this.overflowPolicy = overflowPolicy;
    }

    /**
     * Queues {@code chunk} if it fits. If it does not, applies the part of the overflow policy that
     * belongs to the queue ({@link SlowConsumerPolicy#DROP} counts the event as dropped) and returns
     * {@code false}; the owner applies the rest.
     */
    boolean offer(byte[] chunk) {
        if (!fits(chunk.length)) {
            if (overflowPolicy == SlowConsumerPolicy.DROP) {
                dropped++;
            }
            return false;
        }
        add(chunk);
        return true;
    }

    /** Queues {@code chunk} if it fits, with no policy: for a last event sent on close. */
    boolean offerIfRoom(byte[] chunk) {
        if (!fits(chunk.length)) {
            return false;
        }
        add(chunk);
        return true;
    }

    /** The bound in bytes. */
    int maxBytes() {
        return maxBytes;
    }

    /** What happens to an event that does not fit. */
    SlowConsumerPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /**
     * Removes the next write: one chunk, or several copied into one of up to {@link
     * #MAX_COALESCED_WRITE} bytes; null when the queue is empty.
     */
    byte @Nullable [] take() {
        byte[] first = chunks.poll();
        if (first == null) {
            return null;
        }
        byte[] next = chunks.peek();
        if (next == null || first.length + next.length > MAX_COALESCED_WRITE) {
            bytes -= first.length;
            countTaken(first);
            takenBytes += first.length;
            return first;
        }
        int size = first.length;
        int count = 0;
        for (byte[] b : chunks) {
            if (size + b.length > MAX_COALESCED_WRITE) {
                break;
            }
            size += b.length;
            count++;
        }
        byte[] merged = new byte[size];
        System.arraycopy(first, 0, merged, 0, first.length);
        countTaken(first);
        int pos = first.length;
        for (int i = 0; i < count; i++) {
            byte[] b = chunks.poll();
            System.arraycopy(b, 0, merged, pos, b.length);
            countTaken(b);
            pos += b.length;
        }
        bytes -= size;
        takenBytes += size;
        return merged;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** The bytes queued. */
    int bytes() {
        return bytes;
    }

    /** The most bytes this queue has held at once. */
    int peakBytes() {
        return peakBytes;
    }

    /** How many events (comments included, heartbeats not) {@link #take} has returned for writing. */
    long takenEvents() {
        return takenEvents;
    }

    /** How many bytes {@link #take} has returned for writing, heartbeats included. */
    long takenBytes() {
        return takenBytes;
    }

    /** Forgets every queued chunk. */
    void clear() {
        chunks.clear();
        bytes = 0;
    }

    /** How many events {@link SlowConsumerPolicy#DROP} has dropped. */
    long droppedCount() {
        return dropped;
    }

    /**
     * An event larger than the whole bound still goes through an empty queue, so that it can be sent
     * at all; the queue then holds that one event.
     */
    private boolean fits(int size) {
        return bytes == 0 || size <= maxBytes - bytes;
    }

    private void add(byte[] chunk) {
        chunks.add(chunk);
        bytes += chunk.length;
        if (bytes > peakBytes) {
            peakBytes = bytes;
        }
    }

    private void countTaken(byte[] chunk) {
        if (chunk != HEARTBEAT) {
            takenEvents++;
        }
    }
}
