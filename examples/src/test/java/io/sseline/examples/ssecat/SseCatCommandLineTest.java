package io.sseline.examples.ssecat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.examples.cli.BashCompletion;
import io.sseline.examples.cli.CommandLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Model.OptionSpec;

/** {@code sse-cat}'s help, completion and usage errors, as a user sees them. */
class SseCatCommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpNamesEveryOptionTheExitStatusesAndTheCompletionCommand() {
        assertThat(run("--help")).isEqualTo(SseCat.EXIT_OK);

        String help = stdout();
        assertThat(help).startsWith("usage: sse-cat [options] URL\n       sse-cat generate-completion\n");
        for (String option : optionNames()) {
            assertThat(help).contains(option);
        }
        assertThat(help.replaceAll("\\s+", " "))
                .contains(SseCat.EXIT_OK + " the stream ended (--once) or the server answered 204")
                .contains(SseCat.EXIT_STREAM_FAILED + " the stream failed while reading")
                .contains(SseCat.EXIT_USAGE + " usage error")
                .contains(SseCat.EXIT_CONNECTION_FAILED + " connection failure")
                .contains(SseCat.EXIT_HTTP_ERROR + " HTTP error status")
                .contains(SseCat.EXIT_NOT_AN_EVENT_STREAM + " not an event stream")
                .contains(SseCat.EXIT_INTERRUPTED + " interrupted")
                .contains("generate-completion");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
        assertThat(stderr()).isEmpty();
    }

    @Test
    void generateCompletionPrintsAScriptThatCompletesEveryOptionAlsoWhenRunByAPath() throws Exception {
        assertThat(run("generate-completion")).isEqualTo(SseCat.EXIT_OK);
        String script = stdout();

        assertThat(BashCompletion.complete(script, "sse-cat", "examples/sse-cat", "-"))
                .containsExactlyInAnyOrderElementsOf(optionNames());
        assertThat(BashCompletion.complete(script, "sse-cat", "sse-cat", "--json", "--last"))
                .containsExactly("--last-event-id");
        assertThat(stderr()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --folow http://h/                  | sse-cat: unknown option --folow
            --jsn http://h/                    | sse-cat: unknown option --jsn\\ndid you mean --json?
            http://h/ -X                       | sse-cat: -X needs a value
            --once=yes http://h/               | sse-cat: --once takes no value
            -X GE/T http://h/                  | sse-cat: -X needs a method name such as GET or POST; got 'GE/T'
            -H NoColon http://h/               | sse-cat: a header must look like 'Name: value'; got -H 'NoColon'
            -H Host:evil http://h/             | sse-cat: header 'Host:evil' cannot be sent (-H): restricted header name
            -d @/no/such/file http://h/        | sse-cat: cannot read the body from /no/such/file (-d): no such file
            --last-event-id=a\\nb http://h/    | sse-cat: --last-event-id must not contain CR, LF or NUL
            --raw --json http://h/             | sse-cat: --raw applies to the readable form
            http://h/ http://i/                | sse-cat: only one URL is allowed; got http://h/ and http://i/
            """)
    void aWrongCommandLineExits2NamingTheOptionThenPrintsTheHelp(String args, String message) {
        String[] arguments = Arrays.stream(args.split(" "))
                .map(arg -> arg.replace("\\n", "\n"))
                .toArray(String[]::new);

        assertThat(run(arguments)).isEqualTo(SseCat.EXIT_USAGE).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr()).startsWith(message.replace("\\n", "\n")).contains("\nusage: sse-cat [options] URL\n");
        assertThat(stdout()).isEmpty();
    }

    /** Every name of every option, as the command declares them. */
    private static List<String> optionNames() {
        return CommandLines.create(new SseCatCommand(new ByteArrayInputStream(new byte[0])))
                .getCommandSpec()
                .options()
                .stream()
                .map(OptionSpec::names)
                .flatMap(Arrays::stream)
                .toList();
    }

    private int run(String... args) {
        return SseCat.run(
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
