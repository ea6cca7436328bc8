package io.sseline.it.consumer;

import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.client.ReadyState;
import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.EventStreams;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty serves an {@link EventStreamServlet} that sends three events; an {@link
 * EventSource} receives them and closes. The argument says how sseline was put on the JVM,
 * {@code class-path} or {@code module-path}, and the program checks that it was. Exits with a
 * message naming what went wrong, or prints one line saying what ran.
 */
public final class RoundTrip {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        String mode = args.length == 1 ? args[0] : "";
        if (!mode.equals("class-path") && !mode.equals("module-path")) {
            throw new IllegalArgumentException("usage: RoundTrip class-path|module-path");
        }
        checkHowLoaded(mode.equals("module-path"));

        ThreeEvents servlet = new ThreeEvents();
        Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/events");
        server.setHandler(context);
        server.start();
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            List<String> received = readThreeAndClose(URI.create("http://127.0.0.1:" + port + "/events"));
            CloseReason reason = await(servlet.closed, "the server to see the stream close");
            if (servlet.streamsOpened() != 1) {
                throw new AssertionError("the server opened " + servlet.streamsOpened() + " streams, expected one");
            }
            System.out.println("round trip on the " + mode + ": received " + received + ", closed; server: " + reason);
        } finally {
            server.stop();
        }
    }

    private static List<String> readThreeAndClose(URI uri) throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        EventSource source = EventSource.builder(uri).build(new EventSourceListener() {
            @Override
            public void onEvent(EventSource s, Event event) {
                events.add(event);
            }

            @Override
            public void onError(EventSource s, Throwable error, boolean willReconnect) {
                errors.add(error);
            }

            @Override
            public void onClosed(EventSource s) {
                closed.complete(null);
            }
        });
        source.connect();
        List<String> received = new ArrayList<>();
        while (received.size() < 3) {
            Event event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("got " + received + " of three events within " + DEADLINE + "; errors: " + errors);
            }
            received.add(event.id() + ":" + event.data());
        }
        if (!received.equals(List.of("1:one", "2:two", "3:three"))) {
            throw new AssertionError("expected [1:one, 2:two, 3:three], got " + received);
        }
        source.close();
        await(closed, "onClosed after close()");
        if (source.readyState() != ReadyState.CLOSED || !errors.isEmpty()) {
            throw new AssertionError("after close(): " + source.readyState() + ", errors " + errors);
        }
        return received;
    }

    /**
     * On the module path, sseline's classes must come from its named modules, and sse-core and
     * sse-client must require nothing but JDK modules (and each other); on the class path, from
     * the unnamed module.
     */
    private static void checkHowLoaded(boolean modulePath) {
        List<Class<?>> types = List.of(Event.class, EventSource.class, EventStreamServlet.class);
        List<String> names = List.of("io.sseline.core", "io.sseline.client", "io.sseline.servlet");
        for (int i = 0; i < types.size(); i++) {
            Module module = types.get(i).getModule();
            String expected = modulePath ? names.get(i) : null;
            if (module.isNamed() != modulePath || (modulePath && !module.getName().equals(expected))) {
                throw new AssertionError(types.get(i).getName() + " was loaded from " + module
                        + ", expected " + (modulePath ? "module " + expected : "the class path"));
            }
        }
        if (modulePath) {
            for (Class<?> type : List.of(Event.class, EventSource.class)) {
                for (ModuleDescriptor.Requires requires : type.getModule().getDescriptor().requires()) {
                    boolean jdk = ModuleFinder.ofSystem().find(requires.name()).isPresent();
                    boolean runtime = !requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
                    if (runtime && !jdk && !requires.name().equals("io.sseline.core")) {
                        throw new AssertionError(type.getModule().getName() + " requires " + requires.name()
                                + ": sse-core and sse-client must need the JDK alone");
                    }
                }
            }
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + DEADLINE + " for " + what, e);
        }
    }

    /** Sends three events to each new stream and reports when the stream closes. */
    private static final class ThreeEvents extends EventStreamServlet {
        private static final long serialVersionUID = 1L;

        final transient CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        ThreeEvents() {
            // Frequent heartbeats, so that the server notices soon that the client has gone.
            super(EventStreamConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build());
        }

        @Override
        protected void onOpen(EventStream stream, HttpServletRequest request) {
            stream.onClose((s, reason) -> closed.complete(reason));
            stream.send(Event.of("one").withId("1"));
            stream.send(Event.of("two").withId("2"));
            stream.send(Event.of("three").withId("3"));
        }

        long streamsOpened() {
            EventStreams streams = streams();
            return streams.openedCount();
        }
    }
}
