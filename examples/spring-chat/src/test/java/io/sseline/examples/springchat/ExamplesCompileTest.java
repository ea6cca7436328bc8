package io.sseline.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.spring.EventCodecs;
import io.sseline.testing.DocumentationExamples;
import io.sseline.testing.DocumentationExamples.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The Java examples of this module's {@code README.md} compile as written, read from the file by
 * test-support's {@link DocumentationExamples}, each in a subclass of {@link ExampleContext} with the
 * application's {@link ChatMessage} and Spring MVC's annotations on the class path.
 */
class ExamplesCompileTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(ExampleContext.class)
            .imports(
                    "static org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE",
                    "io.sseline.examples.springchat.ChatMessage",
                    "io.sseline.servlet.EventStream",
                    "java.util.*",
                    "org.springframework.web.bind.annotation.*")
            .classpathOf(
                    ChatMessage.class,
                    Event.class,
                    EventStream.class,
                    EventCodecs.class,
                    GetMapping.class,
                    MediaType.class,
                    ParameterizedTypeReference.class);

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = DocumentationExamples.markdown(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(1);
        JAVAC.assertCompile(examples, classes);
    }
}
