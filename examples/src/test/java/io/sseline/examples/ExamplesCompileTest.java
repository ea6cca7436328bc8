package io.sseline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.sseline.client.EventSource;
import io.sseline.core.Event;
import io.sseline.examples.chat.ChatServer;
import io.sseline.jackson.JacksonCodec;
import io.sseline.micrometer.EventStreamsMetrics;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStream;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every Java example of this module's Javadoc compiles as written, each in the package whose Javadoc
 * shows it (the tools' classes need not be public), and so does every Java example of the documents
 * that belong to no library module: the root README (one example per library module, one for both Jackson modules; the starter's
 * against stand-ins for Spring's annotation and media type), {@code examples/README.md} and {@code CONTRIBUTING.md} (the
 * test helpers), read from the files by test-support's {@link DocumentationExamples}, each in a
 * subclass of {@link ExampleContext} with every library module and test-support on the class path.
 * Each module's own Javadoc and README are compiled by its {@code ExamplesCompileTest}.
 */
class ExamplesCompileTest {
    private static final Path ROOT = Path.of("..");
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "static java.nio.charset.StandardCharsets.UTF_8",
                    "static org.assertj.core.api.Assertions.assertThat",
                    "static org.awaitility.Awaitility.await",
                    "io.micrometer.core.instrument.Tags",
                    "io.sseline.client.*",
                    "io.sseline.core.*",
                    "io.sseline.jackson.*",
                    "io.sseline.micrometer.*",
                    "io.sseline.redis.*",
                    "io.sseline.servlet.*",
                    "io.sseline.servlet.hub.*",
                    "io.sseline.testing.*",
                    "jakarta.servlet.http.*",
                    "java.net.*",
                    "java.nio.*",
                    "java.time.*",
                    "java.util.*",
                    "org.junit.jupiter.api.extension.*")
            .classpathOf(
                    Event.class,
                    EventSource.class,
                    EventStream.class,
                    RedisBackplane.class,
                    JacksonCodec.class,
                    ObjectMapper.class,
                    JsonFactory.class,
                    ClientResources.class,
                    EventStreamsMetrics.class,
                    MeterRegistry.class,
                    KeyValue.class,
                    HttpServletRequest.class,
                    HttpEventClient.class,
                    Assertions.class,
                    Awaitility.class,
                    Matcher.class, // Awaitility's signatures name Hamcrest's
                    RegisterExtension.class);

    private static final DocumentationExamples.Compiler JAVADOC = DocumentationExamples.compiler(ExampleContext.class)
            .insideTheirPackages()
            .imports(
                    "static java.nio.charset.StandardCharsets.UTF_8",
                    "io.sseline.core.*",
                    "io.sseline.examples.chat.*",
                    "io.sseline.examples.cli.*",
                    "io.sseline.servlet.*",
                    "jakarta.servlet.http.*",
                    "java.net.*",
                    "java.time.*",
                    "java.util.*",
                    "picocli.CommandLine.*")
            .classpathOf(
                    Event.class,
                    EventSource.class,
                    EventStream.class,
                    JacksonCodec.class,
                    ObjectMapper.class,
                    JsonFactory.class,
                    ChatServer.class,
                    CommandLine.class,
                    SslContextFactory.class,
                    HttpServletRequest.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(19);
        assertThat(examples)
                .filteredOn(e -> !e.compiled())
                .extracting(Example::notCompiledBecause)
                .containsExactlyInAnyOrder(
                        "JSON, not Java",
                        "JSON, not Java",
                        "JSON, not Java",
                        "JSON, not Java",
                        "a shell session, not Java",
                        "a terminal session, not Java",
                        "an annotation and a shell session, not Java");
        JAVADOC.assertCompile(examples, classes);
    }

    @Test
    void everyExampleOfTheRootReadmeCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(ROOT.resolve("README.md"));

        assertThat(examples)
                .as("one example per library module, one for both Jackson modules")
                .hasSize(7);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyExampleOfTheExamplesReadmeAndOfContributingCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = new ArrayList<>(DocumentationExamples.markdown(Path.of("README.md")));
        examples.addAll(DocumentationExamples.markdown(ROOT.resolve("CONTRIBUTING.md")));

        assertThat(examples)
                .filteredOn(Example::compiled)
                .as("the examples compiled")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(examples)
                .filteredOn(e -> !e.compiled())
                .extracting(Example::notCompiledBecause)
                .containsExactly("EventSourceRecorder is a fixture of sse-client's tests, not of test-support");
        JAVAC.assertCompile(examples, classes);
    }
}
