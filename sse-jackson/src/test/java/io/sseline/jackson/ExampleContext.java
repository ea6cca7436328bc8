package io.sseline.jackson;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.hub.EventHub;
import java.net.URI;
import java.util.List;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method of a
 * subclass. Public, since the examples compile outside the module's package, against its public API.
 * Nothing here runs; {@link JacksonCodecTest} and {@link TypedEventsIT} do what the examples show.
 */
public abstract class ExampleContext {
    protected ObjectMapper mapper = JsonMapper.builder().build();
    protected ObjectMapper objectMapper = mapper;
    protected EventHub hub = EventHub.create();
    protected EventSource source =
            EventSource.builder(URI.create("https://example.com/events")).build(new EventSourceListener() {});
    protected EventStream stream;
    protected List<String> roster = List.of();
    protected JacksonCodec<ChatMessage> chat = JacksonCodec.of(mapper, ChatMessage.class);

    protected ExampleContext() {}

    protected void show(String text) {}

    /** A value that applications send as events. */
    public record ChatMessage(String author, String text) {}
}
