package io.sseline.examples.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class CommandLinesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> greeted = new ArrayList<>();

    /** The example of {@link CommandLines}' Javadoc, with a few more options to test with. */
    @Command(name = "hello", subcommands = GenerateCompletion.class, description = "Says hello; grüß dich.")
    static final class HelloOptions {
        @Spec
        CommandSpec spec;

        @Option(names = {"-n", "--name"})
        String name = "world";

        @Option(names = "--loud", arity = "0")
        boolean loud;

        @Option(names = "--help", usageHelp = true)
        boolean help;
    }

    @Test
    void theDocumentedExampleRunsTheToolWithTheParsedOptions() {
        HelloOptions options = new HelloOptions();
        PrintStream stdout = outStream();
        int code = CommandLines.execute(
                CommandLines.create(options), new String[] {"--name", "ada"}, stdout, errStream(), () -> {
                    stdout.println("hello " + options.name);
                    return 0;
                });

        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("hello ada\n");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void helpGoesToStandardOutputAndExitsZeroWithoutRunningTheTool() {
        assertThat(execute("--name", "ada", "--help")).isZero();

        assertThat(stdout()).startsWith("Usage: hello").contains("--name", "--loud", "generate-completion");
        assertThat(stderr()).isEmpty();
        assertThat(greeted).isEmpty();
    }

    @Test
    void helpIsEncodedInTheCharsetOfTheOutputStream() {
        PrintStream latin1 = new PrintStream(out, true, ISO_8859_1);

        CommandLines.execute(
                CommandLines.create(new HelloOptions()), new String[] {"--help"}, latin1, errStream(), () -> 0);

        assertThat(out.toString(ISO_8859_1)).contains("grüß dich");
    }

    @Test
    void anUnknownOptionIsNamedWithTheLikelyOneThenTheHelpAndExits2() {
        assertThat(execute("--nam", "ada")).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr().lines().limit(3))
                .containsExactly(
                        "hello: unknown option --nam",
                        "did you mean --name?",
                        "Usage: hello [--help] [--loud] [-n=<name>] [COMMAND]");
        assertThat(stdout()).isEmpty();
        assertThat(greeted).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --name            | hello: --name needs a value
            -n                | hello: -n needs a value
            --loud -n         | hello: -n needs a value
            -n --loud         | hello: -n needs a value
            --loud=yes        | hello: --loud takes no value
            --volume=11       | hello: unknown option --volume
            -x                | hello: unknown option -x
            greet             | hello: unexpected argument greet
            """)
    void aWrongCommandLineIsOneLineNamingTheOptionThenTheHelp(String args, String problem) {
        assertThat(execute(args.split(" "))).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr().lines().findFirst()).hasValue(problem);
        assertThat(stderr()).contains("Usage: hello");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aValueTheToolRefusesIsReportedLikeAParseError() {
        HelloOptions options = new HelloOptions();
        int code = CommandLines.execute(
                CommandLines.create(options),
                new String[] {"--name", "Bobby'); DROP TABLE"},
                outStream(),
                errStream(),
                () -> {
                    throw new ParameterException(
                            options.spec.commandLine(), "--name must be a name; got " + options.name);
                });

        assertThat(code).isEqualTo(CommandLines.EXIT_USAGE);
        assertThat(stderr()).startsWith("hello: --name must be a name; got Bobby'); DROP TABLE\nUsage: hello");
    }

    @Test
    void theLastOfARepeatedOptionWins() {
        assertThat(execute("--name", "ada", "-n", "grace")).isZero();

        assertThat(greeted).containsExactly("grace");
    }

    @Test
    void anArgumentStartingWithAnAtSignIsAValueNotAFileOfArguments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("args"), "--loud");

        assertThat(execute("--name", "@" + file)).isZero();

        assertThat(greeted).containsExactly("@" + file);
    }

    @Test
    void aSubcommandsProblemNamesTheSubcommand() {
        assertThat(execute("generate-completion", "--zsh")).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr()).startsWith("hello generate-completion: unknown option --zsh\n");
    }

    @Test
    void generateCompletionPrintsABashScriptForTheRootCommandAndRunsNothingElse() throws Exception {
        assertThat(execute("generate-completion")).isZero();

        String script = stdout();
        assertThat(script).startsWith("#!/usr/bin/env bash").doesNotContain("\r");
        assertThat(greeted).isEmpty();
        assertThat(BashCompletion.complete(script, "hello", "hello", "--na")).containsExactly("--name");
        assertThat(BashCompletion.complete(script, "hello", "bin/hello", "-")).contains("-n", "--name", "--loud");
        assertThat(BashCompletion.complete(script, "hello", "hello", "gen")).containsExactly("generate-completion");
    }

    @Test
    void generateCompletionHelpSaysHowToInstallTheScript() {
        assertThat(execute("generate-completion", "--help")).isZero();

        assertThat(stdout())
                .startsWith("usage: hello generate-completion\n")
                .contains("source <(hello generate-completion)")
                .contains("hello generate-completion > $dir/hello")
                .contains("echo '. ~/.hello-completion' >> ~/.bashrc");
    }

    private int execute(String... args) {
        HelloOptions options = new HelloOptions();
        return CommandLines.execute(CommandLines.create(options), args, outStream(), errStream(), () -> {
            greeted.add(options.name);
            return 0;
        });
    }

    private PrintStream outStream() {
        return new PrintStream(out, true, UTF_8);
    }

    private PrintStream errStream() {
        return new PrintStream(err, true, UTF_8);
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
