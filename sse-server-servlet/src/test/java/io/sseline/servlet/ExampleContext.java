package io.sseline.servlet;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.ExampleObjects.ChatMessage;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.Replay;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.servlet.internal.StreamCounts;
import io.sseline.servlet.internal.StreamEngine;
import io.sseline.servlet.internal.StreamOwner;
import io.sseline.servlet.internal.WriterPool;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method (or the
 * members) of a subclass. The application's objects ({@code presence}, {@code metrics}, {@code
 * roster}, ...) are the smallest types with the methods the examples call. Spring Boot is not a
 * dependency of this module: {@link Bean} and {@link ServletRegistrationBean} stand in for Spring's,
 * with the signatures the Spring Boot example uses. Nothing here runs; {@code
 * DocumentationExamplesTest} runs the examples.
 */
public abstract class ExampleContext {
    // The servlet API, as a servlet or filter has it.
    protected HttpServletRequest request;
    protected HttpServletResponse response;
    protected ServletContext servletContext;
    protected AsyncContext async;
    /** Embedded Jetty's servlet context, for the README's embedded-Jetty registration. */
    protected ServletContextHandler context;

    // This module's objects, as an application keeps them.
    protected EventStreams streams;
    protected EventStream stream;
    protected EventHub hub;
    protected Replay replay;
    protected Backplane backplane;
    protected Set<EventStream> subscribers;
    protected List<EventStream> watchers;

    // The application's own objects.
    protected String user = "ann";
    protected Roster presence;
    protected ExampleObjects.Metrics metrics;
    protected ExampleObjects.Log log;
    protected Clock clock;
    protected Json roster;
    protected Json board;
    protected Rooms rooms;
    protected Page page;
    // What feeds a stream: a model's tokens, an assistant's replies.
    protected ExampleObjects.Model model;
    protected String prompt = "Say hi";
    protected ExampleObjects.Assistant assistant;
    protected String question = "Is it on?";
    protected Flow.Publisher<Event> tokens;
    // Codecs of the application's values (sse-core's EventCodec; sse-jackson makes them).
    protected EventCodec<ChatMessage> chatCodec = ChatMessage.CODEC;
    protected EventCodec<Presence> presenceCodec;
    protected EventCodec<Json> rosterCodec;

    // For the SPI's and the internal package's examples.
    protected List<BackplaneEntry> entries;
    protected boolean tooOld;
    protected String head = "";
    protected Runnable heartbeats;
    protected byte[] bytes;
    protected StreamOwner<Face> owner;
    protected ScheduledExecutorService scheduler;
    protected Duration closeTimeout;
    protected Set<StreamEngine<Face>> open;
    protected StreamEngine<Face> engine;
    protected Stream<Event> events;
    protected Flow.Publisher<Event> publisher;
    protected Executor executor;
    protected StreamCounts ended;
    protected WriterPool writers;

    protected ExampleContext() {}

    protected Event snapshot() {
        return Event.of("{}").withType("snapshot");
    }

    protected void deliverToLocalSubscribers(String channel, BackplaneEntry entry) {}

    /** The servlet that the registration examples register. */
    public static class ClockServlet extends EventStreamServlet {
        private static final long serialVersionUID = 1L;

        public ClockServlet() {}

        @Override
        protected void onOpen(EventStream stream, HttpServletRequest request) {}
    }

    /** Who is connected. */
    public interface Roster {
        void join(EventStream stream, String user);

        void leave(String user);
    }

    /** A value that applications publish: who joined, and how many are online. */
    public record Presence(String user, int online) {}

    /** A clock that calls its subscribers with the time. */
    public interface Clock {
        void subscribe(Consumer<Instant> subscriber);
    }

    /** An application object that shows itself as JSON. */
    public interface Json {
        String toJson();
    }

    /** The chat rooms, as JSON. */
    public interface Rooms {
        String snapshotJson();
    }

    /** A page that shows events. */
    public interface Page {
        void render(List<Event> events);
    }

    /** The application's object for one stream, as the internal engine's examples make it. */
    public static final class Face {
        public Face(StreamEngine<Face> engine) {}
    }

    /** A backplane on an application's own log, as the SPI's example constructs one. */
    public static class LogBackplane implements Backplane {
        public LogBackplane(Object log) {}

        @Override
        public void start(EntryHandler handler) {}

        @Override
        public CompletionStage<String> publish(String channel, Event event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compare(String a, String b) {
            return a.compareTo(b);
        }

        @Override
        public void close() {}
    }

    /** Stands in for Spring's {@code @Bean}. */
    @Retention(RetentionPolicy.SOURCE)
    @Target(ElementType.METHOD)
    public @interface Bean {}

    /** Stands in for Spring Boot's {@code ServletRegistrationBean}: the constructor and setter used. */
    public static class ServletRegistrationBean<T> {
        public ServletRegistrationBean(T servlet, String... urlMappings) {}

        public void setAsyncSupported(boolean asyncSupported) {}
    }
}
