package io.sseline.servlet.internal;

/**
 * What streams have written, added up: the events and bytes handed to the container and the most
 * bytes one stream had queued. {@code EventStreams} keeps one for the streams that have ended and
 * adds each open stream's counts to a fresh one when a metric is read.
 *
 * <pre>{@code
 * StreamCounts total = new StreamCounts();
 * total.add(ended);
 * for (StreamEngine<?> engine : open) {
 *     engine.addCountsTo(total);
 * }
 * long bytes = total.bytes();
 * }</pre>
 *
 * <p>Not thread-safe: its owner guards it.
 */
public final class StreamCounts {
    private long events;
    private long bytes;
    private int peakQueuedBytes;

    /** Events written, comments included and heartbeats not. */
    public long events() {
        return events;
    }

    /** Bytes written, heartbeats included. */
    public long bytes() {
        return bytes;
    }

    /** The most bytes any one of the streams counted had queued at once. */
    public int peakQueuedBytes() {
        return peakQueuedBytes;
    }

    /** Adds {@code other}'s counts to these. */
    public void add(StreamCounts other) {
        add(other.events, other.bytes, other.peakQueuedBytes);
    }

    void add(long events, long bytes, int peakQueuedBytes) {
        this.events += events;
        this.bytes += bytes;
        this.peakQueuedBytes = Math.max(this.peakQueuedBytes, peakQueuedBytes);
    }
}
