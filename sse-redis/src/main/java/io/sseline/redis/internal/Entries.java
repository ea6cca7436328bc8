package io.sseline.redis.internal;

import io.sseline.core.Event;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Stream entries to and from hub entries. An entry's fields: {@code c} the channel, {@code t} the
 * event type, {@code d} the data, {@code r} the retry in milliseconds or empty.
 */
public final class Entries {
    private static final System.Logger LOG = System.getLogger(Entries.class.getName());

    /** The retry field of {@code event}: milliseconds, or empty. */
    public static String retryField(Event event) {
        return event.retry().map(d -> Long.toString(d.toMillis())).orElse("");
    }

    /** Decodes an entry read with {@code XREAD}; null (and a warning) if it is not one of ours. */
    public static @Nullable BackplaneEntry fromFields(LogId id, Map<String, String> fields) {
        String channel = fields.get("c");
        String type = fields.get("t");
        String data = fields.get("d");
        String retry = fields.get("r");
        if (channel == null || channel.isEmpty() || type == null || data == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "skipping stream entry " + id.streamId() + ": it has no channel, type or data field;"
                            + " only RedisBackplane should append to its stream");
            return null;
        }
        try {
            Event event = Event.of(data).withType(type);
            if (retry != null && !retry.isEmpty()) {
                event = event.withRetry(Duration.ofMillis(Long.parseLong(retry)));
            }
            return BackplaneEntry.of(id.toString(), channel, event);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping malformed stream entry " + id.streamId() + ": " + e);
            return null;
        }
    }

    /**
     * Decodes an entry of a script's page, {@code [id, [field, value, ...]]}; null (and a warning) if
     * it is not one of ours.
     */
    public static @Nullable BackplaneEntry fromScript(String epoch, Object item) {
        if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String streamId)) {
            throw new IllegalStateException("unexpected stream entry from Redis: " + item);
        }
        LogId id = LogId.of(epoch, streamId);
        if (id == null) {
            throw new IllegalStateException("unexpected stream entry id from Redis: " + streamId);
        }
        Map<String, String> fields = new HashMap<>();
        if (pair.get(1) instanceof List<?> flat) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                if (flat.get(i) instanceof String k && flat.get(i + 1) instanceof String v) {
                    fields.put(k, v);
                }
            }
        }
        return fromFields(id, fields);
    }

    private Entries() {}
}
