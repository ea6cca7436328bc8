package io.sseline.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.examples.chat.ChatServer;
import io.sseline.examples.relay.FakeLlm;
import io.sseline.servlet.hub.EventHub;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * What the examples of this module's Javadoc, the root README, {@code examples/README.md} and {@code CONTRIBUTING.md} take
 * as given, so that {@link ExamplesCompileTest} can compile them as written: each example is
 * the body of a method (or the members) of a subclass. Nothing here runs.
 */
public abstract class ExampleContext {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected URI uri = URI.create("http://127.0.0.1:8080/sse");
    protected Tokens tokens = new Tokens();
    protected Json roster = () -> "{}";
    protected EventHub hub;
    protected ObjectMapper objectMapper = JsonMapper.builder().build();
    protected EventSource source = EventSource.builder(uri).build(new EventSourceListener() {});
    protected ChatServer server;
    /** The relay's upstream, as the relay's examples have it. */
    protected FakeLlm llm;

    protected SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
    protected String[] args = {};
    protected MeterRegistry registry = new SimpleMeterRegistry();

    protected ExampleContext() {}

    /** Shows a text to the user. */
    protected void show(String text) {}

    /** A value that an application sends as events. */
    public record ChatMessage(String author, String text) {}

    /** Where an application keeps its access token. */
    public static final class Tokens {
        Tokens() {}

        public String current() {
            return "t";
        }
    }

    /** An application object that shows itself as JSON. */
    public interface Json {
        String toJson();
    }

    /**
     * Stands in for Spring MVC's {@code @GetMapping}, with the elements the root README's starter
     * example uses: Spring is not a dependency of this module. sse-spring-boot-starter's {@code
     * ExamplesCompileTest} compiles the same controller method against Spring itself.
     */
    @Retention(RetentionPolicy.SOURCE)
    @Target(ElementType.METHOD)
    public @interface GetMapping {
        String[] path() default {};

        String[] produces() default {};
    }

    /** Stands in for Spring's {@code MediaType}: the constant the root README's starter example uses. */
    public static final class MediaType {
        public static final String TEXT_EVENT_STREAM_VALUE = "text/event-stream";

        private MediaType() {}
    }
}
