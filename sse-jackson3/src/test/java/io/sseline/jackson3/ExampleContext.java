package io.sseline.jackson3;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method of a
 * subclass. Public, since the examples compile outside the module's package, against its public API.
 * Nothing here runs; {@link JacksonCodecTest} runs what the examples show.
 */
public abstract class ExampleContext {
    protected ObjectMapper mapper = JsonMapper.builder().build();

    protected ExampleContext() {}

    /** A value that applications send as events. */
    public record ChatMessage(String author, String text) {}
}
