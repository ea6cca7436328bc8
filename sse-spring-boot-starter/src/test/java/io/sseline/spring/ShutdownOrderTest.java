package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.Replay;
import io.sseline.spring.internal.EventStreamsLifecycle;
import io.sseline.spring.testapp.ChatTestApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the application context of a real server with open streams and Boot's graceful shutdown:
 * each stream receives the final event and has ended when the graceful shutdown phase begins, while
 * the web server still serves; so that phase finds no stream to wait for. Run on Tomcat and on
 * Jetty by the subclasses.
 */
abstract class ShutdownOrderTest {
    /** A timeout that the graceful shutdown would wait out if the streams were still open. */
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);

    /** The configuration that names the container. */
    abstract Class<?> container();

    /** Records, as the graceful shutdown phase begins, how many streams are still open. */
    static final class GracefulShutdownWatch implements SmartLifecycle {
        final List<String> order = new CopyOnWriteArrayList<>();
        private final EventStreams streams;
        /** The streams of the test, seen at the beginning of the graceful shutdown. */
        final List<EventStream> watched = new CopyOnWriteArrayList<>();

        volatile int port;
        private volatile boolean running;

        GracefulShutdownWatch(EventStreams streams) {
            this.streams = streams;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            order.add("graceful shutdown begins, open streams: " + streams.openCount());
            for (EventStream stream : watched) {
                order.add(
                        "stream ended: " + stream.closeReason().map(Enum::name).orElse("no"));
            }
            order.add("server accepts connections: " + accepts(port));
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** Just above the graceful shutdown, so it stops right before it, and after the streams. */
        @Override
        public int getPhase() {
            return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Watch {
        @Bean
        GracefulShutdownWatch gracefulShutdownWatch(EventStreams streams) {
            return new GracefulShutdownWatch(streams);
        }
    }

    @Test
    void theStreamsPhaseStopsBeforeGracefulShutdown() {
        assertThat(EventStreamsLifecycle.PHASE)
                .isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1)
                .isLessThan(SmartLifecycle.DEFAULT_PHASE);
    }

    @Test
    void streamsGetTheFinalEventAndEndBeforeTheWebServerStops() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        ChatTestApp.class, container(), Watch.class)
                .properties(
                        "server.port=0",
                        "server.shutdown=graceful",
                        "spring.lifecycle.timeout-per-shutdown-phase=" + PHASE_TIMEOUT.toSeconds() + "s",
                        "management.health.redis.enabled=false",
                        "sseline.shutdown.event-type=bye",
                        "sseline.shutdown.event-data=restarting")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        GracefulShutdownWatch watch = context.getBean(GracefulShutdownWatch.class);
        ChatTestApp.Record record = context.getBean(ChatTestApp.Record.class);
        try (SseClient client = SseClient.connect(port, "/chat")) {
            assertThat(record.replays.poll(20, TimeUnit.SECONDS))
                    .extracting(Replay::outcome)
                    .isEqualTo(Replay.Outcome.NOT_REQUESTED);
            watch.watched.addAll(context.getBean(EventStreams.class).openStreams());
            watch.port = port;
            assertThat(watch.watched).hasSize(1);

            long start = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            Event last = client.nextEvent();
            assertThat(last.type()).isEqualTo("bye");
            assertThat(last.data()).isEqualTo("restarting");
            assertThat(watch.order)
                    .containsExactly(
                            "graceful shutdown begins, open streams: 0",
                            "stream ended: SHUTDOWN",
                            "server accepts connections: true");
            assertThat(took).as("graceful shutdown waited for no stream").isLessThan(PHASE_TIMEOUT);
            assertThat(accepts(port)).as("the web server has stopped").isFalse();
        } finally {
            context.close();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
