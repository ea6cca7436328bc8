package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.component.Dumpable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of this module compiles against its API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}. Each compiles in a subclass of {@link
 * ExampleContext}: outside the module's packages, except the internal package's own. The {@code
 * DocumentationExamplesTest} classes run the examples in real containers.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "static java.nio.charset.StandardCharsets.UTF_8",
                    "io.sseline.core.*",
                    "io.sseline.servlet.*",
                    "io.sseline.servlet.ExampleObjects.ChatMessage",
                    "io.sseline.servlet.hub.*",
                    "io.sseline.servlet.hub.spi.*",
                    "io.sseline.servlet.internal.*",
                    "jakarta.servlet.*",
                    "jakarta.servlet.http.*",
                    "java.io.*",
                    "java.nio.file.*",
                    "java.time.*",
                    "java.util.*",
                    "java.util.concurrent.*",
                    "java.util.stream.*",
                    "org.eclipse.jetty.ee10.servlet.*")
            .classpathOf(
                    Event.class,
                    EventStream.class,
                    HttpServlet.class,
                    // Embedded Jetty, for the README's registration there.
                    ServletHolder.class,
                    ContextHandler.class,
                    Dumpable.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(35);
        assertThat(examples)
                .filteredOn(e -> !e.compiled())
                .extracting(Example::notCompiledBecause)
                .containsExactly("web.xml, not Java");
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(7);
        JAVAC.assertCompile(examples, classes);
    }
}
