package io.sseline.examples.springchat;

import io.sseline.servlet.hub.EventHub;
import io.sseline.spring.EventCodecs;

/**
 * What the examples of this module's README take as given, as {@code ChatController} has them
 * injected, so that {@link ExamplesCompileTest} can compile them as written. Nothing here runs;
 * {@link SpringChatApplicationTest} runs the controller itself.
 */
public abstract class ExampleContext {
    protected EventHub hub;
    protected EventCodecs codecs;

    protected ExampleContext() {}
}
