package io.sseline.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The epochs one node has seen, numbered in the order it saw them. A new epoch only appears after
 * Redis lost the stream, so on every node an older epoch is seen before a newer one (or never), and
 * this order agrees with the order in which the node's entry handler receives entries. Thread-safe.
 */
public final class Epochs {
    private final Map<String, Integer> order = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /** Records {@code epoch} as seen, if it is new. */
    public void saw(String epoch) {
        order.computeIfAbsent(epoch, e -> next.incrementAndGet());
    }

    /** The number of {@code epoch} in the order seen, or -1 if it was never seen. */
    public int order(String epoch) {
        return order.getOrDefault(epoch, -1);
    }
}
