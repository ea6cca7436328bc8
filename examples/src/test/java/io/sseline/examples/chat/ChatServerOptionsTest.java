package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.examples.cli.BashCompletion;
import io.sseline.examples.cli.CommandLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ChatServerOptionsTest {
    private static final String[] NO_ARGS = {};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void flagBeatsSystemPropertyWhichBeatsEnvironmentVariable() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("chat.port", "0");
        Map<String, String> env = Map.of("CHAT_PORT", "1", "CHAT_HTTPS_PORT", "-1");

        try (ChatServer fromProperty = start(NO_ARGS, env, properties);
                ChatServer fromFlag = start(
                        new String[] {"--port=0", "--https-port", "-1"}, Map.of("CHAT_PORT", "1"), new Properties())) {
            // Had the variable won, the server would listen on port 1; 0 picks a free one. TLS is off.
            assertThat(fromProperty.uri().getPort()).isPositive().isNotEqualTo(1);
            assertThat(fromProperty.secureUri()).isEmpty();
            assertThat(fromFlag.uri().getPort()).isPositive().isNotEqualTo(1);
            assertThat(fromFlag.secureUri()).isEmpty();
        }
    }

    @Test
    void helpAsksForTheUsageOnly() {
        assertThat(ChatServerOptions.parse(new String[] {"--help"}, Map.of(), new Properties()))
                .isNull();
    }

    @Test
    void badOptionsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--prot", "1"}, Map.of(), new Properties()))
                .hasMessage("unknown option --prot");
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--port"}, Map.of(), new Properties()))
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, Map.of("CHAT_PORT", "eighty"), new Properties()))
                .hasMessage("port must be a number: eighty");
        assertThatThrownBy(
                        () -> ChatServerOptions.parse(new String[] {"--https-port", "-2"}, Map.of(), new Properties()))
                .hasMessage("httpsPort must be between -1 (off) and 65535: -2");
    }

    @Test
    void redisOptionsAreCheckedAndTheFlagBeatsTheVariable() {
        // The variable's value is not a Redis URI; the flag's is, and it wins. Nothing listens on
        // port 1, so the build that tries to connect names the flag's address.
        Map<String, String> env = Map.of("CHAT_REDIS", "not a uri", "CHAT_PORT", "0", "CHAT_HTTPS_PORT", "-1");
        assertThatThrownBy(() -> ChatServerOptions.parse(
                                new String[] {"--redis", "redis://127.0.0.1:1", "--redis-key=k"}, env, new Properties())
                        .build())
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot connect to Redis at 127.0.0.1:1");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, env, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("uri is not a Redis URI (like redis://127.0.0.1:6379): \"not a uri\"");
        Properties properties = new Properties();
        properties.setProperty("chat.redis.key", "chat:other");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, Map.of(), properties))
                .hasMessage("--redis-key needs --redis: the key names a stream on that Redis");
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--redis"}, Map.of(), new Properties()))
                .hasMessage("--redis needs a value");
    }

    private static ChatServer start(String[] args, Map<String, String> env, Properties properties) throws Exception {
        return ChatServerOptions.parse(args, env, properties).start();
    }

    /** Every option, with the property and variable that the help and the README name for it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            --port,          chat.port,          CHAT_PORT,          8080
            --https-port,    chat.https.port,    CHAT_HTTPS_PORT,    8443
            --host,          chat.host,          CHAT_HOST,          localhost
            --allowed-hosts, chat.allowed.hosts, CHAT_ALLOWED_HOSTS,
            --redis,         chat.redis,         CHAT_REDIS,
            --redis-key,     chat.redis.key,     CHAT_REDIS_KEY,     chat:events
            """)
    void eachOptionIsTheFlagElseThePropertyElseTheVariableElseTheDefault(
            String option, String property, String variable, String byDefault) {
        Map<String, String> env = Map.of(variable, "from-variable");
        Properties properties = new Properties();
        properties.setProperty(property, "from-property");

        assertThat(value(option, new String[] {option, "from-flag"}, env, properties))
                .isEqualTo("from-flag");
        assertThat(value(option, new String[] {option + "=from-flag"}, env, properties))
                .isEqualTo("from-flag");
        assertThat(value(option, NO_ARGS, env, properties)).isEqualTo("from-property");
        assertThat(value(option, NO_ARGS, env, new Properties())).isEqualTo("from-variable");
        assertThat(value(option, NO_ARGS, Map.of(), new Properties())).isEqualTo(byDefault);

        Properties blank = new Properties();
        blank.setProperty(property, "  ");
        assertThat(value(option, NO_ARGS, env, blank))
                .as("a blank property counts as unset")
                .isEqualTo("from-variable");
        assertThat(value(option, NO_ARGS, Map.of(variable, " "), new Properties()))
                .as("a blank variable counts as unset")
                .isEqualTo(byDefault);
        assertThat(value(option, NO_ARGS, Map.of(variable, " padded "), new Properties()))
                .isEqualTo("padded");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultPropertyAndVariable() {
        assertThat(run("--help")).isZero();

        String help = stdout();
        assertThat(help).startsWith("usage: chat [--port N]");
        List<String> rows = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : new ChatServerOptions(Map.of(), new Properties())
                .commandLine()
                .getCommandSpec()
                .options()) {
            assertThat(help).contains(option.longestName());
            if (!option.usageHelp()) {
                rows.add(option.longestName() + " " + (option.defaultValue() == null ? "none" : option.defaultValue())
                        + " " + ChatServerOptions.property(option) + " " + ChatServerOptions.variable(option));
            }
        }
        assertThat(help.lines().map(line -> line.strip().replaceAll("\\s+", " ")))
                .containsSubsequence(rows)
                .contains(
                        "--port 8080 chat.port CHAT_PORT",
                        "--allowed-hosts none chat.allowed.hosts CHAT_ALLOWED_HOSTS",
                        "--redis-key chat:events chat.redis.key CHAT_REDIS_KEY");
        assertThat(help).contains("Exit status: 0").contains("generate-completion");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
        assertThat(stderr()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            flag       | --port eighty           |                   |              | (from --port)
            property   |                         | chat.port=eighty  |              | (from -Dchat.port)
            variable   |                         |                   | CHAT_PORT=eighty | (from CHAT_PORT)
            """)
    void aBadValueExits2SayingWhereItCameFrom(String name, String args, String property, String variable, String from) {
        Properties properties = new Properties();
        if (property != null) {
            properties.setProperty(property.split("=")[0], property.split("=")[1]);
        }
        Map<String, String> env = new HashMap<>();
        if (variable != null) {
            env.put(variable.split("=")[0], variable.split("=")[1]);
        }

        int code = ChatServer.run(
                args == null ? NO_ARGS : args.split(" "),
                env,
                properties,
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));

        assertThat(code).isEqualTo(CommandLines.EXIT_USAGE);
        assertThat(stderr()).startsWith("chat: port must be a number: eighty " + from + "\nusage: chat");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aWrongCommandLineExits2NamingTheOption() {
        assertThat(run("--prot", "1")).isEqualTo(CommandLines.EXIT_USAGE);
        assertThat(run("--port")).isEqualTo(CommandLines.EXIT_USAGE);
        assertThat(run("8080")).isEqualTo(CommandLines.EXIT_USAGE);

        assertThat(stderr().lines().filter(line -> line.startsWith("chat: ")))
                .containsExactly(
                        "chat: unknown option --prot", "chat: --port needs a value", "chat: unexpected argument 8080");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aServerThatCannotStartExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("--host", "127.0.0.1", "--port", "" + taken.getLocalPort(), "--https-port", "-1"))
                    .isEqualTo(1);
        }
        assertThat(stderr()).startsWith("chat: ");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void generateCompletionPrintsAScriptThatCompletesTheOptions() throws Exception {
        assertThat(run("generate-completion")).isZero();

        assertThat(BashCompletion.complete(stdout(), "chat", "examples/chat", "--redis"))
                .containsExactlyInAnyOrder("--redis", "--redis-key");
        assertThat(stderr()).isEmpty();
    }

    private int run(String... args) {
        return ChatServer.run(
                args, Map.of(), new Properties(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    }

    /** The value an option takes from these sources, as the builder will be given it. */
    private static String value(String option, String[] args, Map<String, String> env, Properties properties) {
        ChatServerOptions options = new ChatServerOptions(env, properties);
        CommandLine cli = options.commandLine();
        cli.parseArgs(args);
        return cli.getCommandSpec().findOption(option).getValue();
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
