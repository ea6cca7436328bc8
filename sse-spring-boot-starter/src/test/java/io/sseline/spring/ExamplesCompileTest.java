package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Every Java example of this module compiles against its API as it is: the Javadoc of {@code
 * src/main/java} and the {@code ```java} blocks of {@code README.md}, read from the files themselves
 * by test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext},
 * outside the module's packages, with Spring MVC's annotations on the class path.
 * {@link StarterEndToEndTest} runs what they show in a real application.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "static org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE",
                    "io.sseline.core.*",
                    "io.sseline.servlet.*",
                    "io.sseline.servlet.hub.*",
                    "io.sseline.spring.*",
                    "java.time.*",
                    "java.util.*",
                    "org.springframework.core.ParameterizedTypeReference",
                    "org.springframework.http.MediaType",
                    "org.springframework.web.bind.annotation.*")
            .classpathOf(
                    Event.class,
                    EventStream.class,
                    EventCodecs.class,
                    HttpServletRequest.class,
                    GetMapping.class,
                    MediaType.class,
                    ParameterizedTypeReference.class,
                    ConfigurationProperties.class);

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.javadoc(Path.of("src/main/java"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(3);
        JAVAC.assertCompile(examples, classes);
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(3);
        JAVAC.assertCompile(examples, classes);
    }
}
