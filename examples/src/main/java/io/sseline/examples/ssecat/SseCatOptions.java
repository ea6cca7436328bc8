package io.sseline.examples.ssecat;

import io.sseline.examples.cli.CommandLines;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The parsed command line of {@code sse-cat}. Immutable.
 *
 * <pre>{@code
 * SseCatOptions options = SseCatOptions.parse(
 *         new String[] {"-H", "Authorization: Bearer t", "--json", "--once", "http://localhost:8080/ping"},
 *         System.in).orElseThrow();
 * options.json(); // true
 * }</pre>
 *
 * @param uri the stream's URL
 * @param headers request headers, in the order given
 * @param method the request method; {@code POST} when {@code -d} is given without {@code -X}
 * @param body the request body, if any
 * @param lastEventId the {@code Last-Event-ID} of the first request, or {@code ""}
 * @param json one JSON object per event instead of the readable form
 * @param raw the readable form without escaping control characters
 * @param once one request, no reconnection
 * @param verbose report connections on standard error
 */
public record SseCatOptions(
        URI uri,
        List<Map.Entry<String, String>> headers,
        String method,
        Optional<byte[]> body,
        String lastEventId,
        boolean json,
        boolean raw,
        boolean once,
        boolean verbose) {

    /** Checks that no component is {@code null}; copies the header list. */
    public SseCatOptions {
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(lastEventId, "lastEventId");
    }

    /**
     * Parses a command line; {@code sse-cat --help} prints what it accepts.
     *
     * @param stdin where {@code -d @-} reads the body from
     * @return the options, or empty when {@code --help} (or {@code generate-completion}) asks for
     *     no stream
     * @throws UsageException if the command line is wrong; the message says how
     */
    public static Optional<SseCatOptions> parse(String[] args, InputStream stdin) throws UsageException {
        SseCatCommand command = new SseCatCommand(stdin);
        CommandLine cli = CommandLines.create(command);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            return parsed.isUsageHelpRequested() || parsed.subcommand() != null
                    ? Optional.empty()
                    : Optional.of(command.options());
        } catch (ParameterException e) {
            throw new UsageException(CommandLines.problem(e, args));
        }
    }
}
