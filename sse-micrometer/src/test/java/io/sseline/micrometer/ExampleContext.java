package io.sseline.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import java.net.URI;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: a registry, the URI of an event stream and a
 * listener. Each example is the body of a method of a subclass, outside the module's package.
 * Nothing here runs; {@link DocumentationExamplesTest} runs the examples against real servers.
 */
public abstract class ExampleContext {
    /** The application's registry. */
    protected MeterRegistry registry = new SimpleMeterRegistry();
    /** An event stream's URI. */
    protected URI uri = URI.create("http://127.0.0.1:1/events");
    /** The application's listener. */
    protected EventSourceListener listener = new EventSourceListener() {
        @Override
        public void onClosed(EventSource source) {}
    };

    protected ExampleContext() {}
}
