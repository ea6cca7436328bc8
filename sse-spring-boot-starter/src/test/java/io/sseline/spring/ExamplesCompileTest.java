package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Every Java example of this module compiles against its API as it is: the {@code <pre>{@code
 * ...}</pre>} blocks of the Javadoc of the public package and the {@code ```java} blocks of {@code
 * README.md}, read from the files themselves. Each becomes the body of a method (or, when it starts
 * with an annotation or a modifier, the members) of a class outside the module's packages that
 * extends {@link ExampleContext}; so an example may use public API only. The same extraction as the
 * other modules' tests.
 */
class ExamplesCompileTest {
    private static final Pattern JAVADOC_EXAMPLE =
            Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*?\\s*}</pre>", Pattern.DOTALL);
    private static final Pattern README_EXAMPLE = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join(
            " ",
            "import static org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE;",
            "import io.sseline.core.*;",
            "import io.sseline.servlet.*;",
            "import io.sseline.servlet.hub.*;",
            "import io.sseline.spring.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import org.springframework.core.ParameterizedTypeReference;",
            "import org.springframework.http.MediaType;",
            "import org.springframework.web.bind.annotation.*;");

    /** One example: where it is, and its code. */
    record Example(String where, String code) {}

    @Test
    void everyJavadocExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = javadocExamples(Path.of("src/main/java/io/sseline/spring"));

        assertThat(examples).as("the Javadoc examples found").hasSizeGreaterThanOrEqualTo(3);
        assertThat(compile(examples, classes))
                .as("examples that do not compile")
                .isEmpty();
    }

    @Test
    void everyReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = readmeExamples(Path.of("README.md"));

        assertThat(examples).as("the README examples found").hasSizeGreaterThanOrEqualTo(3);
        assertThat(compile(examples, classes))
                .as("examples that do not compile")
                .isEmpty();
    }

    /** The extraction itself: a broken example must fail, naming where it is. */
    @Test
    void aBrokenExampleFailsNamingWhereItIs(@TempDir Path classes) {
        List<Example> broken = List.of(new Example("Somewhere.java:7", "codecs.forType(ChatMessage.class);"));

        assertThat(compile(broken, classes)).singleElement().asString().contains("Somewhere.java:7", "forType");
    }

    static List<Example> javadocExamples(Path sources) throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = JAVADOC_EXAMPLE.matcher(text);
                while (m.find()) {
                    String code = m.group(1)
                            .lines()
                            .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                            .collect(Collectors.joining("\n"));
                    examples.add(new Example(file + ":" + lineOf(text, m.start()), code));
                }
            }
        }
        return examples;
    }

    static List<Example> readmeExamples(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        Matcher m = README_EXAMPLE.matcher(text);
        while (m.find()) {
            examples.add(new Example(readme + ":" + lineOf(text, m.start()), m.group(1)));
        }
        return examples;
    }

    /** Compiles the examples, one class each, and returns one message per example that failed. */
    static List<String> compile(List<Example> examples, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            sources.add(source("Example" + i, examples.get(i).code()));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "-proc:none",
                "-nowarn",
                "-d",
                classes.toString(),
                "-classpath",
                classPath(
                        Event.class,
                        EventStream.class,
                        EventCodecs.class,
                        ExampleContext.class,
                        HttpServletRequest.class,
                        GetMapping.class,
                        MediaType.class,
                        ParameterizedTypeReference.class,
                        ConfigurationProperties.class));
        javac.getTask(null, null, diagnostics, options, null, sources).call();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            JavaFileObject file = sources.get(i);
            Example example = examples.get(i);
            String messages = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getSource() == file)
                    .map(d -> "  line " + (d.getLineNumber() - 4) + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            if (!messages.isEmpty()) {
                errors.add(example.where() + "\n" + messages + "\n" + example.code());
            }
        }
        return errors;
    }

    /**
     * A class that holds the example: as members when it starts with an annotation or a modifier, as
     * the body of a method otherwise. The example starts on line 5, so that messages can give its own
     * line numbers.
     */
    private static JavaFileObject source(String name, String code) {
        boolean members = code.stripLeading().matches("(?s)(public|protected|private|@\\w+)\\b.*");
        String text = "package examples;\n" + IMPORTS + "\n"
                + "@SuppressWarnings(\"all\") class " + name + " extends " + ExampleContext.class.getName() + " {\n"
                + (members ? "" : "void example() throws Exception {") + "\n"
                + code + "\n"
                + (members ? "" : "}") + "}\n";
        return new SimpleJavaFileObject(
                URI.create("string:///examples/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    private static String classPath(Class<?>... types) {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : types) {
            try {
                entries.add(Path.of(type.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString());
            } catch (URISyntaxException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
