package io.sseline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.launchdarkly.eventsource.StreamEvent;
import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.component.Dumpable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Every Java example of this module's Javadoc compiles as written, read from the files themselves
 * by test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext} in
 * the package of the class whose Javadoc shows it; the commands that run the benchmarks are marked
 * as such.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .insideTheirPackages()
            .imports(
                    "com.launchdarkly.eventsource.*",
                    "io.sseline.benchmarks.*",
                    "io.sseline.benchmarks.fanout.*",
                    "java.io.*",
                    "java.util.*",
                    "org.eclipse.jetty.ee10.servlet.*")
            .classpathOf(
                    Corpus.class,
                    Event.class,
                    EventStream.class,
                    HttpServlet.class,
                    StreamEvent.class,
                    ServletContextHandler.class,
                    ContextHandler.class,
                    Dumpable.class,
                    Blackhole.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(18);
        assertThat(examples)
                .filteredOn(e -> !e.compiled())
                .extracting(Example::notCompiledBecause)
                .as("the commands")
                .hasSize(11)
                .containsOnly("a shell command, not Java");
        JAVAC.assertCompile(examples, classes);
    }
}
