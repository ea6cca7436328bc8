package io.sseline.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.sseline.client.EventSource;
import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStreams;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of this module compiles against its API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext}.
 * {@link DocumentationExamplesTest} runs them against real servers.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "io.micrometer.core.instrument.*",
                    "io.micrometer.core.instrument.simple.*",
                    "io.sseline.micrometer.*",
                    "io.sseline.client.*",
                    "io.sseline.core.*",
                    "io.sseline.redis.*",
                    "io.sseline.servlet.*",
                    "io.sseline.servlet.hub.*",
                    "java.net.*",
                    "java.time.*",
                    "java.util.*")
            .classpathOf(
                    EventStreamsMetrics.class,
                    MeterRegistry.class,
                    KeyValue.class,
                    EventStreams.class,
                    Event.class,
                    EventSource.class,
                    RedisBackplane.class,
                    RedisClient.class,
                    HttpServlet.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(4);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(4);
        JAVAC.assertCompile(examples, classes);
    }
}
