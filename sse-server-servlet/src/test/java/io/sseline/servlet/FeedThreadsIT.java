package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Where an iterator feed is pulled by default, run against the jar, built on the JDK that runs the
 * test: on JDK 21 and later a virtual thread (the class in {@code META-INF/versions/21}), on JDK 17 a
 * daemon thread of the shared pool.
 */
class FeedThreadsIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    @Test
    void anIteratorIsPulledOnAVirtualThreadFromJdk21AndOnThePoolBefore() throws Exception {
        AtomicReference<Thread> puller = new AtomicReference<>();
        Iterator<Event> one = new Iterator<>() {
            private boolean given;

            @Override
            public boolean hasNext() {
                puller.set(Thread.currentThread());
                return !given;
            }

            @Override
            public Event next() {
                given = true;
                return Event.of("pulled");
            }
        };
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.defaults(), (stream, request) -> stream.feed(one, FeedOptions.defaults()));
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(WAIT).data()).isEqualTo("pulled");
        }

        Thread thread = puller.get();
        // Integration tests run against the jar, which a build on JDK 21+ makes with the JDK 21 classes.
        assertThat(EventStream.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .endsWith(".jar");
        if (Runtime.version().feature() >= 21) {
            assertThat(thread.toString()).as("a virtual thread").startsWith("VirtualThread");
            assertThat(thread.getName()).isEqualTo("sseline-feed");
        } else {
            assertThat(thread.getName()).startsWith("sseline-feed-");
            assertThat(thread.isDaemon()).isTrue();
        }
    }
}
