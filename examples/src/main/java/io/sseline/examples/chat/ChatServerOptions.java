package io.sseline.examples.chat;

import io.sseline.examples.cli.CommandLines;
import io.sseline.examples.cli.GenerateCompletion;
import io.sseline.examples.cli.HelpOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@link ChatServer#main}: each option from a flag, else a system property,
 * else an environment variable, else the builder's default. The option {@code --NAME} is the
 * property {@code chat.NAME} and the variable {@code CHAT_NAME}, dashes becoming dots and
 * underscores. Picocli asks {@link #defaultValue} only for an option that no flag gave, so the flag
 * wins whatever the others say; a blank property or variable counts as unset.
 */
@Command(
        name = "chat",
        subcommands = GenerateCompletion.class,
        synopsisHeading = "usage: ",
        customSynopsis = {
            "chat [--port N] [--https-port N] [--host NAME] [--allowed-hosts A,B]",
            "            [--redis URI [--redis-key KEY]]",
            "       chat generate-completion"
        },
        description = "Runs the sseline chat demo on embedded Jetty until Ctrl+C: the chat page, its event"
                + " streams and the ping stream. Prints the addresses to open.",
        descriptionHeading = "",
        optionListHeading = "%n",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = "Exit status: 0 stopped, or help printed; 1 the server did not start (a port in use, Redis"
                + " unreachable); 2 usage error.",
        sortOptions = false)
final class ChatServerOptions implements IDefaultValueProvider {
    /** The help section that lists each option's default, system property and variable. */
    private static final String SOURCES = "sources";

    private final Map<String, String> env;
    private final Properties properties;

    @Spec
    private CommandSpec spec;

    // Each defaultValue is the builder's default, for the help; a value that no flag, property or
    // variable gave is not set on the builder (see apply).

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "" + ChatServer.DEFAULT_PORT,
            description = "the http port (HTTP/1.1 and h2c); 0 picks a free one")
    String port;

    @Option(
            names = "--https-port",
            paramLabel = "N",
            defaultValue = "" + ChatServer.DEFAULT_HTTPS_PORT,
            description = "the https port (HTTP/2 with a development certificate); -1 turns TLS off")
    String httpsPort;

    @Option(
            names = "--host",
            paramLabel = "NAME",
            defaultValue = "localhost",
            description = "the interface to listen on; 0.0.0.0 for all")
    String host;

    @Option(
            names = "--allowed-hosts",
            paramLabel = "A,B",
            description = "more host names the chat answers for, besides localhost, 127.0.0.1, ::1 and"
                    + " --host; others get 403. * allows any")
    String allowedHosts;

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "share the rooms with the other nodes started with this Redis, such as"
                    + " redis://localhost:6379; without it, the rooms live in this process")
    String redis;

    @Option(
            names = "--redis-key",
            paramLabel = "KEY",
            defaultValue = ChatServer.DEFAULT_REDIS_KEY,
            description = "the Redis stream the nodes share")
    String redisKey;

    @Mixin
    private HelpOption help;

    /** Options that read the system properties and environment variables from these. */
    ChatServerOptions(Map<String, String> env, Properties properties) {
        this.env = Objects.requireNonNull(env, "env");
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /**
     * Returns a builder configured from the sources, or {@code null} when {@code --help} (or {@code
     * generate-completion}) asks for no server.
     *
     * @throws IllegalArgumentException for an unknown option, a missing or malformed value
     */
    static ChatServer.Builder parse(String[] args, Map<String, String> env, Properties properties) {
        ChatServerOptions options = new ChatServerOptions(env, properties);
        try {
            CommandLine.ParseResult parsed = options.commandLine().parseArgs(args);
            return parsed.isUsageHelpRequested() || parsed.subcommand() != null ? null : options.builder();
        } catch (ParameterException e) {
            // A value the builder refused: its own exception, without the note on where the value came from.
            throw e.getCause() instanceof IllegalArgumentException refused
                    ? refused
                    : new IllegalArgumentException(CommandLines.problem(e, args), e);
        }
    }

    /** The command line that fills these options: flags first, then {@link #defaultValue}. */
    CommandLine commandLine() {
        CommandLine cli = CommandLines.create(this);
        cli.setDefaultValueProvider(this);
        cli.getHelpSectionMap().put(SOURCES, help -> sources());
        List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
        sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING), SOURCES);
        cli.setHelpSectionKeys(sections);
        return cli;
    }

    /**
     * A builder configured from the parsed options.
     *
     * @throws ParameterException if a value is wrong; the message says which and where it came from
     */
    ChatServer.Builder builder() {
        ChatServer.Builder builder = ChatServer.builder();
        apply("--port", port, value -> builder.port(number("port", value)));
        apply("--https-port", httpsPort, value -> builder.httpsPort(number("https port", value)));
        apply("--host", host, builder::host);
        apply("--redis", redis, value -> builder.redis(value.strip()));
        apply(
                "--allowed-hosts",
                allowedHosts,
                value -> builder.allowedHosts(Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(h -> !h.isEmpty())
                        .toList()));
        apply("--redis-key", redisKey, value -> {
            if (source(spec.findOption("--redis")) == null) {
                throw new IllegalArgumentException("--redis-key needs --redis: the key names a stream on that Redis");
            }
            builder.redisKey(value.strip());
        });
        return builder;
    }

    /**
     * The value of an option that no flag gave: its system property, else its environment variable,
     * else none (then picocli takes the annotation's default).
     */
    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.command().userObject() != this || option.usageHelp()) {
            return null;
        }
        Map.Entry<String, String> fallback = fallback(option);
        return fallback == null ? null : fallback.getValue();
    }

    /**
     * The option's system property, else its environment variable, as {@code -Dname} or {@code NAME}
     * and the stripped value; {@code null} when neither is set to more than blanks.
     */
    private Map.Entry<String, String> fallback(OptionSpec option) {
        String property = properties.getProperty(property(option));
        if (property != null && !property.isBlank()) {
            return Map.entry("-D" + property(option), property.strip());
        }
        String variable = env.get(variable(option));
        return variable != null && !variable.isBlank() ? Map.entry(variable(option), variable.strip()) : null;
    }

    /** The system property of an option: {@code --https-port} is {@code chat.https.port}. */
    static String property(OptionSpec option) {
        return "chat." + option.longestName().substring(2).replace('-', '.');
    }

    /** The environment variable of an option: {@code --https-port} is {@code CHAT_HTTPS_PORT}. */
    static String variable(OptionSpec option) {
        return "CHAT_" + option.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Sets a value that a flag, property or variable gave; a refusal names the one it came from.
     */
    private void apply(String name, String value, Consumer<String> setter) {
        OptionSpec option = spec.findOption(name);
        String source = source(option);
        if (source == null) {
            return; // the builder's default
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), e.getMessage() + " (from " + source + ")", e, option, value);
        }
    }

    /** Where the value of an option came from: the flag, {@code -Dchat.…}, {@code CHAT_…}, or null. */
    private String source(OptionSpec option) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            return option.longestName();
        }
        Map.Entry<String, String> fallback = fallback(option);
        return fallback == null ? null : fallback.getKey();
    }

    /** The help's table of defaults and of where else each option can be set. */
    private String sources() {
        String row = "  %-16s %-12s %-21s %s%n";
        StringBuilder table = new StringBuilder()
                .append(String.format("%nEach option can also be set by a system property or an environment"
                        + " variable;%nthe flag wins, then the property, then the variable:%n"))
                .append(String.format(row, "option", "default", "system property", "environment variable"));
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp()) {
                String defaultValue = option.defaultValue() == null ? "none" : option.defaultValue();
                table.append(
                        String.format(row, option.longestName(), defaultValue, property(option), variable(option)));
            }
        }
        return table.append(String.format("For example, both of these listen on port 9090:%n"
                        + "  CHAT_PORT=9090 examples/chat%n"
                        + "  JAVA_OPTS=-Dchat.port=9090 examples/chat%n"))
                .toString();
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }
}
