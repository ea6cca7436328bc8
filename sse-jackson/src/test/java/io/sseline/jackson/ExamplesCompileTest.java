package io.sseline.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseline.client.EventSource;
import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of this module compiles against its API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext},
 * outside the module's package. {@link JacksonCodecTest} and {@link TypedEventsIT} do what they show.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "com.fasterxml.jackson.core.type.TypeReference",
                    "com.fasterxml.jackson.databind.*",
                    "com.fasterxml.jackson.databind.json.JsonMapper",
                    "io.sseline.client.*",
                    "io.sseline.core.*",
                    "io.sseline.jackson.*",
                    "io.sseline.servlet.*",
                    "io.sseline.servlet.hub.*",
                    "java.util.*")
            .classpathOf(
                    Event.class,
                    JacksonCodec.class,
                    ObjectMapper.class,
                    TypeReference.class,
                    EventSource.class,
                    EventStream.class,
                    HttpServletRequest.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(2);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(3);
        JAVAC.assertCompile(examples, classes);
    }
}
