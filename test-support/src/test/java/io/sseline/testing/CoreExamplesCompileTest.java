package io.sseline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.DocumentationExamples.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of sse-core compiles against its public API as it is: the Javadoc of {@code
 * sse-core/src/main/java} and the {@code ```java} blocks of {@code sse-core/README.md}, read from the
 * files themselves. It runs here because this module depends on sse-core (its event-stream client
 * parses with sse-core), so sse-core's own tests cannot use this module; the reactor builds this
 * module right after sse-core. sse-core's {@code DocumentationExamplesTest} runs the Javadoc examples.
 */
class CoreExamplesCompileTest {
    private static final Path MODULE = Path.of("../sse-core");
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(CoreExampleContext.class)
            .imports(
                    "static java.nio.charset.StandardCharsets.UTF_8",
                    "io.sseline.core.*",
                    "java.io.*",
                    "java.net.*",
                    "java.nio.*",
                    "java.time.*",
                    "java.util.*",
                    "java.util.stream.*")
            .classpathOf(Event.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(MODULE.resolve("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(10);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(MODULE.resolve("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(7);
        JAVAC.assertCompile(examples, classes);
    }
}
