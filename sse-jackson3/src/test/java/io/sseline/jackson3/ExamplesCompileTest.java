package io.sseline.jackson3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sseline.core.Event;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Every Java example of this module compiles against its API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext},
 * outside the module's package. {@link JacksonCodecTest} runs what they show.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "io.sseline.core.*",
                    "io.sseline.jackson3.*",
                    "java.util.*",
                    "tools.jackson.core.type.TypeReference",
                    "tools.jackson.databind.*",
                    "tools.jackson.databind.json.JsonMapper")
            .classpathOf(
                    Event.class,
                    JacksonCodec.class,
                    ObjectMapper.class,
                    TypeReference.class,
                    JsonProperty.class); // Jackson 3 keeps the 2.x annotations

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(2);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(1);
        JAVAC.assertCompile(examples, classes);
    }
}
