package io.sseline.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseline.client.EventSource;
import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import java.io.File;
import java.io.IOException;
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

/**
 * Every Java example of this module compiles against its API as it is: the {@code <pre>{@code
 * ...}</pre>} blocks of the Javadoc in {@code src/main/java} and the {@code ```java} blocks of {@code
 * README.md}, read from the files, each as the body of a method of a class outside the module's
 * package that extends {@link ExampleContext}.
 */
class ExamplesCompileTest {
    private static final Pattern JAVADOC_EXAMPLE =
            Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*?\\s*}</pre>", Pattern.DOTALL);
    private static final Pattern README_EXAMPLE = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join(
            " ",
            "import com.fasterxml.jackson.core.type.TypeReference;",
            "import com.fasterxml.jackson.databind.*;",
            "import com.fasterxml.jackson.databind.json.JsonMapper;",
            "import io.sseline.client.*;",
            "import io.sseline.core.*;",
            "import io.sseline.jackson.*;",
            "import io.sseline.servlet.*;",
            "import io.sseline.servlet.hub.*;",
            "import java.util.*;");

    record Example(String where, String code) {}

    @Test
    void everyJavadocAndReadmeExampleCompiles(@TempDir Path classes) throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                collect(file, JAVADOC_EXAMPLE, examples);
            }
        }
        int javadoc = examples.size();
        collect(Path.of("README.md"), README_EXAMPLE, examples);

        assertThat(javadoc).as("the Javadoc examples found").isGreaterThanOrEqualTo(2);
        assertThat(examples.size() - javadoc).as("the README examples found").isGreaterThanOrEqualTo(2);
        assertThat(compile(examples, classes))
                .as("examples that do not compile")
                .isEmpty();
    }

    @Test
    void aBrokenExampleFailsNamingWhereItIs(@TempDir Path classes) {
        List<Example> broken = List.of(new Example("Somewhere.java:7", "JacksonCodec.of(mapper);"));

        assertThat(compile(broken, classes)).singleElement().asString().contains("Somewhere.java:7", "JacksonCodec");
    }

    private static void collect(Path file, Pattern pattern, List<Example> into) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String code = m.group(1)
                    .lines()
                    .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                    .collect(Collectors.joining("\n"));
            int line = (int) text.substring(0, m.start())
                            .chars()
                            .filter(c -> c == '\n')
                            .count()
                    + 1;
            into.add(new Example(file + ":" + line, code));
        }
    }

    private static List<String> compile(List<Example> examples, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            sources.add(source("Example" + i, examples.get(i).code()));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = classPath(
                Event.class,
                JacksonCodec.class,
                ObjectMapper.class,
                com.fasterxml.jackson.core.type.TypeReference.class,
                EventSource.class,
                EventStream.class,
                jakarta.servlet.http.HttpServletRequest.class,
                ExampleContext.class);
        javac.getTask(
                        null,
                        null,
                        diagnostics,
                        List.of("-proc:none", "-nowarn", "-d", classes.toString(), "-classpath", classPath),
                        null,
                        sources)
                .call();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            JavaFileObject file = sources.get(i);
            String messages = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getSource() == file)
                    .map(d -> "  line " + (d.getLineNumber() - 4) + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            if (!messages.isEmpty()) {
                errors.add(examples.get(i).where() + "\n" + messages + "\n"
                        + examples.get(i).code());
            }
        }
        return errors;
    }

    /** The example as the body of a method; it starts on line 5, so that messages give its own lines. */
    private static JavaFileObject source(String name, String code) {
        String text = "package examples;\n" + IMPORTS + "\n"
                + "@SuppressWarnings(\"all\") class " + name + " extends " + ExampleContext.class.getName() + " {\n"
                + "void example() throws Exception {\n"
                + code + "\n}}\n";
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
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
