package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.RecordingServlet;
import io.sseline.servlet.SerializedEvent;
import io.sseline.testing.Container;
import io.sseline.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 streams opened and ended by the client, a third each way: a clean close (FIN), a TCP reset
 * (SO_LINGER 0), and a reset in the middle of a large write the client does not read. Meanwhile the
 * hub broadcasts to every open stream. Every stream's close handlers run exactly once, and at the end
 * no stream is registered and the hub has no subscriber.
 */
class OpenCloseSoakIT {
    static final int CYCLES = 10_000;
    static final int CLIENT_THREADS = 8;
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Larger than the loopback socket buffers of a client that reads nothing: the write stalls. */
    static final SerializedEvent LARGE = SerializedEvent.of(Event.of("x".repeat(512 * 1024)));

    enum Ending {
        FIN,
        RESET,
        RESET_MID_WRITE
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyStreamClosesOnceAndNothingStaysRegistered(Container container) throws Exception {
        EventHub hub = EventHub.builder().maxEntries(100).build();
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder()
                        .heartbeatInterval(Duration.ofMillis(50))
                        .maxQueuedBytes(1024 * 1024)
                        .build(),
                (stream, request) -> {
                    if ("large".equals(request.getQueryString())) {
                        stream.send(LARGE);
                    }
                    hub.subscribe(stream, List.of("soak"));
                });
        EventStreams streams = servlet.eventStreams();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        Map<Ending, AtomicInteger> endings = new EnumMap<>(Ending.class);
        for (Ending e : Ending.values()) {
            endings.put(e, new AtomicInteger());
        }
        long start = System.nanoTime();
        try (Container.Running server = container.start(servlet)) {
            // A broadcast every few milliseconds: writes that find the clients gone.
            publisher.scheduleAtFixedRate(() -> hub.publish("soak", Event.of("tick")), 0, 5, TimeUnit.MILLISECONDS);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                workers.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < CYCLES; i = next.getAndIncrement()) {
                        Ending ending = Ending.values()[i % 3];
                        cycle(server.port(), ending);
                        endings.get(ending).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            }
            await("every stream closed").atMost(WAIT).until(() -> servlet.closed.size() == CYCLES);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println(
                    container + ": " + CYCLES + " open/close cycles " + endings + " in " + took.toMillis() + " ms");

            assertThat(streams.openedCount()).isEqualTo(CYCLES);
            assertThat(streams.openCount()).isZero();
            assertThat(servlet.closeCounts).hasSize(CYCLES);
            assertThat(servlet.closeCounts.values()).containsOnly(1);
            assertThat(servlet.closed).allSatisfy(c -> assertThat(c.reason()).isEqualTo(CloseReason.CLIENT_GONE));
            assertThat(hub.subscriberCount("soak")).isZero();
            assertThat(hub.channels()).isEmpty();
            // A later close callback would be a second one.
            await("no second close callback")
                    .during(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> servlet.closed.size() == CYCLES);
        } finally {
            publisher.shutdownNow();
            clients.shutdownNow();
            hub.close();
        }
    }

    private static void cycle(int port, Ending ending) throws Exception {
        boolean large = ending == Ending.RESET_MID_WRITE;
        RawClient client = RawClient.get(port, Container.PATH + (large ? "?large" : ""), Map.of(), large ? 4096 : 0);
        try {
            assertThat(client.status()).isEqualTo(200);
            if (large) {
                client.readBody(1024); // the large write has begun
            }
        } finally {
            if (ending == Ending.FIN) {
                client.close();
            } else {
                client.abort();
            }
        }
    }
}
