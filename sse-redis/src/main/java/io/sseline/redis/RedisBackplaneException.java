package io.sseline.redis;

import java.io.IOException;

/**
 * Redis could not append to or read the backplane's stream: it is unreachable, it refused the
 * command, or it did not answer in time. A {@link RedisBackplane#publish} that fails with it did not
 * reach subscribers (unless Redis applied the command and only its answer was lost); a {@link
 * RedisBackplane#readAfter} that fails with it makes the hub close the stream so that the client
 * reconnects.
 *
 * <pre>{@code
 * hub.publish("chat", event).exceptionally(e -> {
 *     if (e.getCause() instanceof RedisBackplaneException r) {
 *         log.warning("not sent, Redis did not " + r.operation() + " " + r.streamKey() + ": " + r.getMessage());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class RedisBackplaneException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String streamKey;
    private final String operation;

    RedisBackplaneException(String operation, String streamKey, String redis, Throwable cause) {
        super(
                "could not " + operation + " the Redis stream " + streamKey + " at " + redis + ": " + cause
                        + "; check that Redis is running and reachable (the tail reconnects by itself)",
                cause);
        this.streamKey = streamKey;
        this.operation = operation;
    }

    /** The key of the stream. */
    public String streamKey() {
        return streamKey;
    }

    /** What failed: {@code "append to"} or {@code "read"}. */
    public String operation() {
        return operation;
    }
}
