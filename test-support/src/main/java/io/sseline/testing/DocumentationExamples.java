package io.sseline.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

/**
 * The Java examples of the documentation, read from the files themselves, and the compiler that
 * proves they are right: every {@code <pre>{@code ...}</pre>} block of the Javadoc in a source tree
 * and every {@code ```java} block of a Markdown file. Each example becomes the body of a method (or,
 * when it declares a method or a type, the members) of a class in the package {@code examples}, outside
 * the module's packages, that extends a context class: the context declares what the examples take as given ({@code uri}, {@code
 * listener}, {@code request}, ...) and, where an example needs a library the module does not have,
 * the smallest stand-in for it. The Javadoc of an internal package, which the module does not export,
 * describes the package from inside: its examples compile in that package, as do all the Javadoc
 * examples of an application (the {@code examples} module, the benchmarks), whose types need not be
 * public, after {@link Compiler#insideTheirPackages()}. An example that declares methods or types (a
 * line, not indented, that starts with a modifier, {@code class} or an annotation) is compiled as
 * members, its other top-level lines as fields. So an example of a library may use public API only,
 * and none can drift from the code it shows.
 *
 * <p>An example that cannot compile (another language in a Java block, a fragment) is marked on the
 * line just before its block, with the reason, alone on that line: {@code <!-- not compiled: REASON
 * -->}. HTML comments
 * show neither in rendered Javadoc nor in rendered Markdown. A marker without a reason, or one that
 * stands before no block, fails the extraction; a marked example is counted, never silently skipped.
 *
 * <pre>{@code
 * DocumentationExamples.Compiler javac = DocumentationExamples.compiler(ExampleContext.class)
 *         .imports("io.sseline.core.*", "java.time.*")
 *         .classpathOf(Event.class);
 * javac.assertCompile(DocumentationExamples.javadoc(Path.of("src/main/java")), classes);
 * javac.assertCompile(DocumentationExamples.markdown(Path.of("README.md")), classes);
 * }</pre>
 */
public final class DocumentationExamples {
    private static final Pattern JAVADOC_BLOCK =
            Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*?\\s*}</pre>", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern MARKDOWN_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    /** A marker alone on its line (in Javadoc after the margin); one mentioned in a sentence is not one. */
    private static final Pattern MARKER = Pattern.compile("(?m)^\\s*\\*?\\s*<!--\\s*not compiled:(.*?)-->\\s*$");
    /** A marker on the last line before a block: optional Javadoc margin, the comment, nothing else. */
    private static final Pattern MARKER_LINE = Pattern.compile("^\\s*\\*?\\s*<!--\\s*not compiled:(.*?)-->\\s*$");
    /**
     * A line, not indented, that declares a member of a class (a method, a type, an annotated
     * member): an example with one is compiled as members, its other top-level lines as fields.
     */
    private static final Pattern MEMBER_LINE =
            Pattern.compile("(public|protected|private|static|abstract|class|interface|record|enum|@\\w+)\\b.*");

    private DocumentationExamples() {}

    /**
     * One example: where it is (file and line of its block), its code, why it is not compiled ({@code
     * ""} when it is), and the package whose Javadoc shows it ({@code ""} for Markdown).
     */
    public record Example(String where, String code, String notCompiledBecause, String packageName) {
        public Example(String where, String code, String notCompiledBecause) {
            this(where, code, notCompiledBecause, "");
        }

        /** Whether the example is compiled: it carries no "not compiled" marker. */
        public boolean compiled() {
            return notCompiledBecause.isEmpty();
        }

        /** Whether the example is from the Javadoc of a package the module does not export. */
        boolean internal() {
            return packageName.endsWith(".internal") || packageName.contains(".internal.");
        }
    }

    /** Every {@code <pre>{@code ...}</pre>} block of the {@code .java} files below {@code sources}. */
    public static List<Example> javadoc(Path sources) throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher declaration = PACKAGE.matcher(text);
                String packageName = declaration.find() ? declaration.group(1) : "";
                for (Example example : blocks(file, text, JAVADOC_BLOCK)) {
                    String code = example.code()
                            .lines()
                            .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                            .collect(Collectors.joining("\n"));
                    examples.add(new Example(example.where(), code, example.notCompiledBecause(), packageName));
                }
            }
        }
        return examples;
    }

    /** Every {@code ```java} block of the Markdown file {@code file}. */
    public static List<Example> markdown(Path file) throws IOException {
        return blocks(file, Files.readString(file, StandardCharsets.UTF_8), MARKDOWN_BLOCK);
    }

    private static List<Example> blocks(Path file, String text, Pattern block) {
        List<Example> examples = new ArrayList<>();
        int markersUsed = 0;
        Matcher m = block.matcher(text);
        while (m.find()) {
            String where = file + ":" + lineOf(text, m.start());
            String reason = "";
            Matcher marker = MARKER_LINE.matcher(lineBefore(text, m.start()));
            if (marker.matches()) {
                reason = marker.group(1).strip();
                if (reason.isEmpty()) {
                    throw new IllegalStateException(where + ": a \"not compiled\" marker must give its reason: "
                            + "<!-- not compiled: why -->");
                }
                markersUsed++;
            }
            examples.add(new Example(where, m.group(1), reason));
        }
        long markers = MARKER.matcher(text).results().count();
        if (markers != markersUsed) {
            throw new IllegalStateException(file + ": " + (markers - markersUsed)
                    + " \"not compiled\" marker(s) stand before no example; a marker goes on the line just"
                    + " before the block it is about");
        }
        return examples;
    }

    /** The line that ends just before the line on which {@code offset} stands. */
    private static String lineBefore(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        if (lineStart == 0) {
            return "";
        }
        int previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
        return text.substring(previousStart, lineStart - 1);
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /**
     * A compiler of examples into subclasses of {@code context}, which must be public, abstract and
     * have a protected or public constructor without parameters.
     */
    public static Compiler compiler(Class<?> context) {
        return new Compiler(context, List.of(), Set.of(location(context)), false);
    }

    /** Compiles examples against a class path, each as a subclass of one context class. */
    public static final class Compiler {
        private final Class<?> context;
        private final List<String> imports;
        private final Set<String> classpath;
        private final boolean insideTheirPackages;

        private Compiler(Class<?> context, List<String> imports, Set<String> classpath, boolean insideTheirPackages) {
            this.context = context;
            this.imports = imports;
            this.classpath = classpath;
            this.insideTheirPackages = insideTheirPackages;
        }

        /**
         * Adds imports that every example takes as given, each as {@code "java.time.*"} or {@code
         * "static java.nio.charset.StandardCharsets.UTF_8"}.
         */
        public Compiler imports(String... more) {
            List<String> all = new ArrayList<>(imports);
            all.addAll(List.of(more));
            return new Compiler(context, List.copyOf(all), classpath, insideTheirPackages);
        }

        /** Adds the jars or class directories that hold {@code types} to the class path. */
        public Compiler classpathOf(Class<?>... types) {
            Set<String> all = new LinkedHashSet<>(classpath);
            for (Class<?> type : types) {
                all.add(location(type));
            }
            return new Compiler(context, imports, Set.copyOf(all), insideTheirPackages);
        }

        /**
         * Compiles each Javadoc example inside the package whose Javadoc shows it, as those of internal
         * packages always are: for an application's code, whose Javadoc describes it from inside and
         * whose types need not be public.
         */
        public Compiler insideTheirPackages() {
            return new Compiler(context, imports, classpath, true);
        }

        /**
         * The package an example compiles in: its own for the Javadoc of an internal package, which
         * describes the package from inside (or for any package, after {@link #insideTheirPackages});
         * {@code examples}, outside the module, for all others.
         */
        private String packageOf(Example example) {
            boolean inside = example.internal()
                    || (insideTheirPackages && !example.packageName().isEmpty());
            return inside ? example.packageName() : "examples";
        }

        /**
         * Compiles every example that is not marked "not compiled" and fails, naming each example that
         * does not compile, where it is and javac's messages with the example's own line numbers.
         */
        public void assertCompile(List<Example> examples, Path classes) {
            List<String> errors = compile(examples, classes);
            if (!errors.isEmpty()) {
                throw new AssertionError(
                        errors.size() + " example(s) do not compile:\n\n" + String.join("\n\n", errors));
            }
        }

        /** Compiles the examples that are not marked, one class each; returns one message per failure. */
        public List<String> compile(List<Example> examples, Path classes) {
            List<Example> compiled = examples.stream().filter(Example::compiled).toList();
            if (compiled.isEmpty()) {
                return List.of();
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<JavaFileObject> sources = new ArrayList<>();
            for (int i = 0; i < compiled.size(); i++) {
                sources.add(source("Example" + i, compiled.get(i)));
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<String> options = List.of(
                    "-proc:none",
                    "-nowarn",
                    "-encoding",
                    "UTF-8",
                    "-d",
                    classes.toString(),
                    "-classpath",
                    String.join(File.pathSeparator, classpath));
            javac.getTask(null, null, diagnostics, options, null, sources).call();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < compiled.size(); i++) {
                JavaFileObject file = sources.get(i);
                Example example = compiled.get(i);
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
         * A class that holds the example: as members when a line of it, not indented, declares a
         * method, a type or an annotated member; as the body of a method otherwise. The example starts
         * on line 5, so that messages can give its own line numbers.
         */
        private JavaFileObject source(String name, Example example) {
            String code = example.code();
            String packageName = packageOf(example);
            boolean members =
                    code.lines().anyMatch(line -> MEMBER_LINE.matcher(line).matches());
            String text = "package " + packageName + ";\n"
                    + imports.stream().map(i -> "import " + i + ";").collect(Collectors.joining(" ")) + "\n"
                    + "@SuppressWarnings(\"all\") class " + name + " extends " + context.getCanonicalName() + " {\n"
                    + (members ? "" : "void example() throws Exception {") + "\n"
                    + code + "\n"
                    + (members ? "" : "}") + "}\n";
            return new SimpleJavaFileObject(
                    URI.create("string:///" + packageName.replace('.', '/') + "/" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            };
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
