package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of this module compiles against its public API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}. Each compiles in a subclass of {@link
 * ExampleContext}, outside the module's package. {@link DocumentationExamplesTest} runs the Javadoc
 * examples against MockWebServer.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "static java.nio.charset.StandardCharsets.UTF_8",
                    "io.sseline.client.*",
                    "io.sseline.core.*",
                    "java.io.*",
                    "java.net.*",
                    "java.net.http.*",
                    "java.time.*",
                    "java.util.*",
                    "java.util.concurrent.*",
                    "java.util.stream.*",
                    "javax.net.ssl.*",
                    // The README shows the Flow view under Reactor and RxJava, test dependencies here.
                    "io.reactivex.rxjava3.core.Flowable",
                    "org.reactivestreams.FlowAdapters",
                    "reactor.adapter.JdkFlowAdapter",
                    "reactor.core.publisher.Flux")
            .classpathOf(
                    Event.class,
                    EventSource.class,
                    reactor.core.publisher.Flux.class,
                    org.reactivestreams.Publisher.class,
                    io.reactivex.rxjava3.core.Flowable.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(15);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(4);
        JAVAC.assertCompile(examples, classes);
    }
}
