package io.sseline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import io.sseline.testing.DocumentationExamples.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extraction and compilation of examples themselves: each way an example can be wrong is caught. */
class DocumentationExamplesTest {
    private static final DocumentationExamples.Compiler JAVAC = DocumentationExamples.compiler(CoreExampleContext.class)
            .imports("io.sseline.core.*", "java.time.*")
            .classpathOf(Event.class);

    @Test
    void aBrokenExampleFailsNamingWhereItIsAndTheLineOfTheExample(@TempDir Path classes) {
        List<Example> broken = List.of(new Example("Somewhere.java:7", "int fine = 1;\nEventParser.builder();", ""));

        assertThat(JAVAC.compile(broken, classes))
                .singleElement()
                .asString()
                .contains("Somewhere.java:7", "line 2:", "builder");
        assertThatThrownBy(() -> JAVAC.assertCompile(broken, classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Somewhere.java:7");
    }

    @Test
    void javadocBlocksLoseTheirMarginAndKeepTheirIndentation(@TempDir Path sources) throws IOException {
        Files.writeString(
                sources.resolve("A.java"),
                String.join(
                        "\n",
                        "/**",
                        " * Text.",
                        " * <pre>{@code",
                        " * if (true) {",
                        " *     Event.of(\"x\");",
                        " * }",
                        " * }</pre>",
                        " */",
                        "class A {}"));

        assertThat(DocumentationExamples.javadoc(sources)).singleElement().satisfies(e -> {
            assertThat(e.where()).endsWith("A.java:3");
            assertThat(e.code()).isEqualTo("if (true) {\n    Event.of(\"x\");\n}");
            assertThat(e.compiled()).isTrue();
        });
    }

    @Test
    void aMarkedExampleIsCountedWithItsReasonAndNotCompiled(@TempDir Path dir) throws IOException {
        Path readme = dir.resolve("README.md");
        Files.writeString(
                readme,
                String.join(
                        "\n",
                        "# Title",
                        "<!-- not compiled: a fragment of a larger class -->",
                        "```java",
                        "this does not compile",
                        "```",
                        "```java",
                        "Event.of(\"x\");",
                        "```",
                        ""));
        List<Example> examples = DocumentationExamples.markdown(readme);

        assertThat(examples)
                .extracting(Example::notCompiledBecause)
                .containsExactly("a fragment of a larger class", "");
        assertThat(JAVAC.compile(examples, dir)).isEmpty();
    }

    @Test
    void aMarkerWithoutReasonFails(@TempDir Path dir) throws IOException {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "<!-- not compiled: -->\n```java\nx\n```\n");

        assertThatThrownBy(() -> DocumentationExamples.markdown(readme))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("README.md:2", "must give its reason");
    }

    @Test
    void aMarkerBeforeNoExampleFails(@TempDir Path dir) throws IOException {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "<!-- not compiled: stray -->\n\ntext\n```java\nEvent.of(\"x\");\n```\n");

        assertThatThrownBy(() -> DocumentationExamples.markdown(readme))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stand before no example");
    }

    @Test
    void anExampleThatDeclaresMethodsCompilesAsMembersWithItsFields(@TempDir Path classes) {
        List<Example> members = List.of(new Example(
                "Members.md:1",
                String.join(
                        "\n",
                        "String type = \"greeting\";",
                        "",
                        "public Event greeting() {",
                        "    return Event.of(\"hi\").withType(type);",
                        "}"),
                ""));

        assertThat(JAVAC.compile(members, classes)).isEmpty();
    }

    @Test
    void aLibrarysExampleCompilesOutsideItsPackageAnApplicationsAndAnInternalOneInside(@TempDir Path dir)
            throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src"));
        Files.writeString(sources.resolve("A.java"), javadocWithExample("package app;"));
        Files.writeString(sources.resolve("B.java"), javadocWithExample("package lib.internal;"));
        List<Example> examples = DocumentationExamples.javadoc(sources);

        Path library = dir.resolve("library");
        assertThat(JAVAC.compile(examples, library)).isEmpty();
        assertThat(library.resolve("examples/Example0.class"))
                .as("a library's example")
                .exists();
        assertThat(library.resolve("lib/internal/Example1.class"))
                .as("an internal package's example")
                .exists();

        Path application = dir.resolve("application");
        assertThat(JAVAC.insideTheirPackages().compile(examples, application)).isEmpty();
        assertThat(application.resolve("app/Example0.class"))
                .as("an application's example")
                .exists();
        assertThat(application.resolve("lib/internal/Example1.class")).exists();
        assertThat(application.resolve("examples")).doesNotExist();
    }

    private static String javadocWithExample(String packageDeclaration) {
        return String.join(
                "\n",
                packageDeclaration,
                "/**",
                " * <pre>{@code",
                " * Event.of(\"x\");",
                " * }</pre>",
                " */",
                "class C {}");
    }
}
