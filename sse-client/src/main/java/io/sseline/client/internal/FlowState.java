package io.sseline.client.internal;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Reactive Streams bookkeeping that this package's publishers share: their one subscriber, its
 * outstanding demand, and one thread at a time in the publisher's drain loop, which makes every
 * signal to the subscriber (rule 1.3). A publisher makes one with its drain loop, {@link #claim}s
 * each subscriber, {@link #add}s what it requests, and calls {@link #drain()} after each change.
 * Thread-safe.
 */
final class FlowState {
    private static final Flow.Subscription INERT = new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    private final AtomicBoolean subscribed = new AtomicBoolean();
    /** Requested and not yet delivered; Long.MAX_VALUE is unbounded. */
    private final AtomicLong demand = new AtomicLong();
    /** Non-zero while a thread runs the loop; counts the calls it has still to account for. */
    private final AtomicInteger wip = new AtomicInteger();

    private final Runnable loop;

    /** @param loop the publisher's drain loop, which {@link #drain()} runs one thread at a time */
    FlowState(Runnable loop) {
        this.loop = loop;
    }

    /**
     * Makes {@code subscriber} the one subscriber, or refuses it: an inert subscription, then {@code
     * onError} with an {@link IllegalStateException} that says {@code why} (rules 1.9 and 2.13).
     */
    boolean claim(Flow.Subscriber<?> subscriber, String why) {
        if (subscribed.compareAndSet(false, true)) {
            return true;
        }
        subscriber.onSubscribe(INERT);
        subscriber.onError(new IllegalStateException(why));
        return false;
    }

    boolean hasSubscriber() {
        return subscribed.get();
    }

    /** Adds {@code n} to the demand, which saturates at unbounded (rule 3.17); {@code n} is positive. */
    void add(long n) {
        demand.getAndAccumulate(n, (current, added) -> {
            long sum = current + added;
            return sum < 0 ? Long.MAX_VALUE : sum;
        });
    }

    long demand() {
        return demand.get();
    }

    /** One item was delivered. */
    void took() {
        demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
    }

    /** Runs the loop now, or has the thread that runs it go round once more. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            loop.run();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** The error of a request for {@code n} items, not positive (rule 3.9). */
    static IllegalArgumentException nonPositive(long n) {
        return new IllegalArgumentException("Flow.Subscription#request needs a positive count: " + n);
    }
}
