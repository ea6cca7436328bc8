package io.sseline.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The event publisher driven directly, without HTTP: demand, re-entrancy and concurrency. */
class PublisherSubscriberTest {

    /** An upstream that delivers one chunk per request, from a pool thread or on the caller's. */
    static final class ChunkSource implements Flow.Subscription {
        final PublisherSubscriber target;
        final List<String> chunks;
        final ExecutorService executor; // null: deliver on the requesting thread
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger maxOutstanding = new AtomicInteger();
        volatile boolean cancelled;

        ChunkSource(PublisherSubscriber target, List<String> chunks, ExecutorService executor) {
            this.target = target;
            this.chunks = chunks;
            this.executor = executor;
        }

        @Override
        public void request(long n) {
            int now = outstanding.addAndGet((int) n);
            maxOutstanding.accumulateAndGet(now, Math::max);
            for (long i = 0; i < n; i++) {
                if (executor == null) {
                    deliverOne();
                } else {
                    executor.execute(this::deliverOne);
                }
            }
        }

        private synchronized void deliverOne() {
            if (cancelled) {
                return;
            }
            int index = next.getAndIncrement();
            outstanding.decrementAndGet();
            if (index < chunks.size()) {
                target.onNext(List.of(ByteBuffer.wrap(chunks.get(index).getBytes(UTF_8))));
            } else if (index == chunks.size()) {
                target.onComplete();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** Requests one event at a time, from whichever thread delivered the previous one. */
    static final class OneAtATime implements Flow.Subscriber<Event> {
        final List<String> data = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicInteger overlapping = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(Event item) {
            if (inside.incrementAndGet() > 1) {
                overlapping.incrementAndGet();
            }
            data.add(item.data());
            inside.decrementAndGet();
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            error.set(throwable);
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }

    /** The stream of {@code events} events cut into 7-byte chunks, so that most events straddle two. */
    private static List<String> chunks(int events) {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < events; i++) {
            stream.append("data: ").append(i).append("\n\n");
        }
        List<String> chunks = new CopyOnWriteArrayList<>();
        for (int i = 0; i < stream.length(); i += 7) {
            chunks.add(stream.substring(i, Math.min(stream.length(), i + 7)));
        }
        return chunks;
    }

    @Test
    void reentrantUpstreamDeliversEveryEventInOrder() throws Exception {
        PublisherSubscriber publisher = new PublisherSubscriber(EventParser.Limits.defaults(), "");
        ChunkSource upstream = new ChunkSource(publisher, chunks(500), null);
        OneAtATime subscriber = new OneAtATime();

        publisher.subscribe(subscriber);
        publisher.onSubscribe(upstream);

        assertThat(subscriber.done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(subscriber.error.get()).isNull();
        assertThat(subscriber.data).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(subscriber.data.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(upstream.maxOutstanding).as("chunks requested at once").hasValue(1);
    }

    @Test
    void upstreamOnAnotherThreadDeliversEveryEventOnceWithoutOverlap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            PublisherSubscriber publisher = new PublisherSubscriber(EventParser.Limits.defaults(), "");
            ChunkSource upstream = new ChunkSource(publisher, chunks(2000), pool);
            OneAtATime subscriber = new OneAtATime();

            publisher.onSubscribe(upstream);
            publisher.subscribe(subscriber);

            assertThat(subscriber.done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(subscriber.error.get()).isNull();
            assertThat(subscriber.overlapping).hasValue(0);
            assertThat(subscriber.data).hasSize(2000);
            for (int i = 0; i < 2000; i++) {
                assertThat(subscriber.data.get(i)).isEqualTo(Integer.toString(i));
            }
            assertThat(upstream.maxOutstanding).as("chunks requested at once").hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelStopsDeliveryAndCancelsUpstream() throws Exception {
        PublisherSubscriber publisher = new PublisherSubscriber(EventParser.Limits.defaults(), "");
        ChunkSource upstream = new ChunkSource(publisher, chunks(10), null);
        List<String> seen = new CopyOnWriteArrayList<>();
        publisher.subscribe(new Flow.Subscriber<Event>() {
            Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Event item) {
                seen.add(item.data());
                if (seen.size() == 3) {
                    subscription.cancel();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                seen.add("error");
            }

            @Override
            public void onComplete() {
                seen.add("complete");
            }
        });

        publisher.onSubscribe(upstream);

        assertThat(seen).hasSize(3).noneMatch(s -> s.equals("complete") || s.equals("error"));
        assertThat(upstream.cancelled).isTrue();
    }
}
