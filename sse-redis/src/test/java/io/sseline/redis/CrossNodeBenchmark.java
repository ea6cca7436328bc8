package io.sseline.redis;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.RedisProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cross-node fan-out, not a test: N subscribers on node B, events published on node A, both nodes
 * on one Redis stream; and, in the same run, the same load on one node with the in-memory hub.
 * Reports delivered events per second at full speed, and the publish-to-delivery latency (p50, p99)
 * at a steady rate. Both nodes live in this JVM, so one clock times both ends.
 *
 * <pre>{@code
 * ./mvnw -q -pl sse-redis test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sseline.redis.CrossNodeBenchmark -Dexec.args="1000 2000 50 1000"
 * }</pre>
 *
 * Arguments: subscribers (1,000), events for throughput (2,000), events per second for latency
 * (50), events timed for latency (1,000).
 */
public final class CrossNodeBenchmark {
    private CrossNodeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int timed = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        System.out.printf(
                "subscribers=%d, throughput events=%d, latency: %d events at %d/s, cores=%d, %s%n",
                subscribers, events, timed, rate, Runtime.getRuntime().availableProcessors(), Runtime.version());
        try (RedisProcess redis = RedisProcess.start()) {
            try (Node single = Node.start(EventHub.builder().maxEntries(100_000).build())) {
                run("in-memory, one node", single, single, subscribers, events, rate, timed);
            }
            try (Node a = Node.start(redisBackplane(redis));
                    Node b = Node.start(redisBackplane(redis))) {
                run("redis, A -> B      ", a, b, subscribers, events, rate, timed);
            }
        }
        System.exit(0);
    }

    private static RedisBackplane redisBackplane(RedisProcess redis) {
        return RedisBackplane.builder()
                .uri(redis.uri())
                .streamKey("bench")
                .maxEntries(100_000)
                .build();
    }

    private static void run(String name, Node publisher, Node subscriberNode, int n, int events, int rate, int timed)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        Sink sink = new Sink(n);
        for (int i = 0; i < n; i++) {
            http.sendAsync(
                    HttpRequest.newBuilder(subscriberNode.events("bench")).build(),
                    info -> HttpResponse.BodySubscribers.fromSubscriber(new Feed(sink)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (subscriberNode.hub().subscriberCount("bench") < n || sink.live.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscribers did not connect: " + sink.live.get());
            }
            Thread.onSpinWait();
        }
        // Warm-up, then full speed with at most 256 publishes in flight.
        publish(publisher, sink, 500, 0);
        long start = System.nanoTime();
        publish(publisher, sink, events, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        // Latency at a steady rate.
        sink.recordLatency(timed);
        publish(publisher, sink, timed, rate);
        long[] latencies = sink.latencies();
        Arrays.sort(latencies);
        System.out.printf(
                "%s: %,.0f events/s published, %,.0f deliveries/s; at %d/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                name,
                events / seconds,
                (double) events * n / seconds,
                rate,
                latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6,
                latencies[latencies.length - 1] / 1e6);
    }

    /** Publishes {@code count} events (at {@code rate} per second, or as fast as possible if 0) and waits until all subscribers have them. */
    private static void publish(Node node, Sink sink, int count, int rate) throws Exception {
        sink.expect(count);
        Semaphore inFlight = new Semaphore(256);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + i * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            inFlight.acquire();
            CompletableFuture<String> f = node.hub()
                    .publish("bench", Event.of(Long.toString(System.nanoTime())))
                    .toCompletableFuture();
            f.whenComplete((id, e) -> inFlight.release());
        }
        if (!sink.done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("deliveries missing: " + sink.remaining.get());
        }
    }

    /** Counts deliveries over all subscribers and records latencies when asked. */
    private static final class Sink {
        final int subscribers;
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger remaining = new AtomicInteger();
        volatile CountDownLatch done = new CountDownLatch(1);
        volatile long[] latency = new long[0];
        final AtomicInteger recorded = new AtomicInteger();

        Sink(int subscribers) {
            this.subscribers = subscribers;
        }

        void expect(int events) {
            done = new CountDownLatch(1);
            remaining.set(events * subscribers);
        }

        void recordLatency(int events) {
            latency = new long[events * subscribers];
            recorded.set(0);
        }

        void delivered(String data) {
            long[] l = latency;
            if (l.length > 0) {
                int i = recorded.getAndIncrement();
                if (i < l.length) {
                    l[i] = System.nanoTime() - Long.parseLong(data);
                }
            }
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }

        long[] latencies() {
            return Arrays.copyOf(latency, Math.min(recorded.get(), latency.length));
        }
    }

    /** One subscriber: body chunks straight into a parser, no thread of its own. */
    private static final class Feed implements Flow.Subscriber<List<ByteBuffer>> {
        private final Sink sink;
        private final EventParser parser;
        private boolean counted;

        Feed(Sink sink) {
            this.sink = sink;
            this.parser = EventParser.create(event -> sink.delivered(event.data()));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            try {
                for (ByteBuffer chunk : chunks) {
                    parser.feed(chunk);
                }
            } catch (EventStreamLimitException e) {
                throw new IllegalStateException(e);
            }
            if (!counted && !parser.lastEventId().isEmpty()) {
                counted = true; // the head id: the subscription is live
                sink.live.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
