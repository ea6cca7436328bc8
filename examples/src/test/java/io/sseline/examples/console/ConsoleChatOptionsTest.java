package io.sseline.examples.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.examples.cli.BashCompletion;
import io.sseline.examples.cli.CommandLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleChatOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void defaultsAreTheLobbyOfTheLocalChatUnderANameTheServerPicks() {
        ConsoleChatOptions options = parse();

        assertThat(options.server()).isEqualTo(URI.create("http://localhost:8080/"));
        assertThat(options.name).isEmpty();
        assertThat(options.room).isEqualTo("lobby");
        assertThat(options.raw).isFalse();
    }

    @Test
    void everyOption() {
        ConsoleChatOptions options = parse("--name", "ada", "--room=attic", "--raw", "https://chat.example:8443/team");

        assertThat(options.server())
                .as("the server's address ends in / so that sse and messages resolve under it")
                .isEqualTo(URI.create("https://chat.example:8443/team/"));
        assertThat(options.name).isEqualTo("ada");
        assertThat(options.room).isEqualTo("attic");
        assertThat(options.raw).isTrue();
    }

    @Test
    void helpListsTheOptionsOnStandardOutput() {
        assertThat(run("--help")).isZero();

        assertThat(stdout())
                .startsWith("usage: chat-console [--name NAME] [--room ROOM] [--raw] [URL]\n")
                .contains("--name", "--room", "--raw", "--help", "http://localhost:8080/", "generate-completion")
                .contains("Exit status: 0");
        assertThat(stdout().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
        assertThat(stderr()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --rom lab                   | chat-console: unknown option --rom\\ndid you mean --room?
            --name                      | chat-console: --name needs a value
            --raw=no                    | chat-console: --raw takes no value
            ftp://h/                    | chat-console: the server must be an http or https URL
            http://h/%zz                | chat-console: not a URL: http://h/%zz
            http://a/ http://b/         | chat-console: only one URL is allowed; got http://a/ and http://b/
            """)
    void aWrongCommandLineExits2NamingTheOptionThenPrintsTheHelp(String args, String message) {
        assertThat(run(args.split(" "))).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr()).startsWith(message.replace("\\n", "\n")).contains("\nusage: chat-console");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void generateCompletionPrintsAScriptThatCompletesTheOptions() throws Exception {
        assertThat(run("generate-completion")).isZero();

        assertThat(BashCompletion.complete(stdout(), "chat-console", "examples/chat-console", "--r"))
                .containsExactlyInAnyOrder("--raw", "--room");
    }

    private static ConsoleChatOptions parse(String... args) {
        ConsoleChatOptions options = new ConsoleChatOptions();
        CommandLines.create(options).parseArgs(args);
        return options;
    }

    private int run(String... args) {
        return ConsoleChat.run(
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
