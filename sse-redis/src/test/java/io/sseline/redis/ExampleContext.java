package io.sseline.redis;

import io.sseline.core.Event;
import io.sseline.servlet.hub.EventHub;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method of a
 * subclass, outside the module's package. Nothing here runs; {@link DocumentationExamplesTest} runs
 * the examples against a real Redis.
 */
public abstract class ExampleContext {
    protected EventHub hub;
    protected RedisBackplane backplane;
    protected Event event = Event.of("hi");
    protected Log log = new Log();

    protected ExampleContext() {}

    /** A logger as applications have one. */
    public static final class Log {
        Log() {}

        public void warning(String message) {}
    }
}
