package io.sseline.spring;

import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method, or the
 * members, of a subclass outside the module's packages. Nothing here runs; the end-to-end tests run
 * the same code in a real application.
 */
public abstract class ExampleContext {
    /** A chat message, as the examples publish it. */
    public record ChatMessage(String from, String text) {}

    protected EventHub hub = EventHub.create();
    protected EventStreams streams = EventStreams.create();
    protected EventCodecs codecs = null;
    protected SselineProperties properties = null;
}
