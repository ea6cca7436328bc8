package io.sseline.examples.ssecat;

import io.sseline.core.Event;
import io.sseline.examples.cli.GenerateCompletion;
import io.sseline.examples.cli.HelpOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code sse-cat} as picocli reads it, and the checks that turn it into {@link
 * SseCatOptions}. The annotations are the help text and the completion script too.
 */
@Command(
        name = "sse-cat",
        subcommands = GenerateCompletion.class,
        synopsisHeading = "usage: ",
        customSynopsis = {"sse-cat [options] URL", "       sse-cat generate-completion"},
        description = "Prints the Server-Sent Events of URL as they arrive.",
        descriptionHeading = "",
        parameterListHeading = "%n",
        optionListHeading = "",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Without --once, sse-cat reconnects like a browser's EventSource until interrupted, sending"
                    + " Last-Event-ID.",
            "Events go to standard output; connection reports and errors to standard error.",
            "",
            "Exit status: 0 the stream ended (--once) or the server answered 204; 1 the stream failed"
                    + " while reading; 2 usage error; 3 connection failure; 4 HTTP error status; 5 not an"
                    + " event stream (wrong Content-Type); 130 interrupted.",
            "",
            "Examples:",
            "  sse-cat http://localhost:8080/ping",
            "  sse-cat --json --once 'http://localhost:8080/ping?count=3'",
            "  sse-cat -H 'Authorization: Bearer T' -d @query.json https://example.com/feed"
        },
        sortOptions = false)
final class SseCatCommand {
    private final InputStream stdin;

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "'Name: value'",
            description = "add a request header (repeatable)")
    private List<String> headers = new ArrayList<>();

    @Option(
            names = {"-X", "--request"},
            paramLabel = "METHOD",
            description = "the request method (default GET, or POST with -d)")
    private String method;

    @Option(
            names = {"-d", "--data"},
            paramLabel = "BODY",
            description = "the request body; @FILE reads a file, @- standard input")
    private String data;

    @Option(names = "--last-event-id", paramLabel = "ID", description = "resume after the event with this id")
    private String lastEventId = "";

    @Option(
            names = "--json",
            arity = "0",
            description = "print one JSON object per line and event, with the keys type, data and id")
    private boolean json;

    @Option(
            names = "--raw",
            arity = "0",
            description = "print control characters (ESC, CR, ...) as sent, not escaped; only for feeds"
                    + " you trust: they can drive the terminal")
    private boolean raw;

    @Option(
            names = "--once",
            arity = "0",
            description = "do not reconnect; exit when the stream ends. A redirect is reported, not followed")
    private boolean once;

    @Option(
            names = {"-v", "--verbose"},
            arity = "0",
            description = "report connections and reconnections on standard error")
    private boolean verbose;

    @Mixin
    private HelpOption help;

    /** One URL is required; a list, so that a missing or second one gets a message of its own. */
    @Parameters(
            paramLabel = "URL",
            arity = "0..*",
            hideParamSyntax = true,
            description = "the stream: an http or https URL")
    private List<String> urls = new ArrayList<>();

    /** @param stdin where {@code -d @-} reads the body from */
    SseCatCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /**
     * The options that the parsed command line asks for.
     *
     * @throws ParameterException if a value is wrong; the message says which and how
     */
    SseCatOptions options() {
        if (urls.isEmpty()) {
            throw usage("no URL given");
        }
        if (urls.size() > 1) {
            throw usage("only one URL is allowed; got " + urls.get(0) + " and " + urls.get(1));
        }
        if (json && raw) {
            throw usage("--raw applies to the readable form; --json escapes control characters anyway");
        }
        List<Map.Entry<String, String>> parsedHeaders = new ArrayList<>();
        for (String header : headers) {
            parsedHeaders.add(header(header));
        }
        byte[] body = data == null ? null : body(data);
        String effectiveMethod = method != null ? method(method) : body != null ? "POST" : "GET";
        return new SseCatOptions(
                uri(urls.get(0)),
                parsedHeaders,
                effectiveMethod,
                Optional.ofNullable(body),
                lastEventId(lastEventId),
                json,
                raw,
                once,
                verbose);
    }

    private Map.Entry<String, String> header(String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            throw usage("a header must look like 'Name: value'; got -H '" + header + "'");
        }
        String name = header.substring(0, colon).strip();
        String value = header.substring(colon + 1).strip();
        try {
            HttpRequest.newBuilder().header(name, value); // the client's own rules for names and values
        } catch (IllegalArgumentException e) {
            throw usage("header '" + header + "' cannot be sent (-H): " + e.getMessage());
        }
        return Map.entry(name, value);
    }

    private String method(String method) {
        if (method.isEmpty()
                || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw usage("-X needs a method name such as GET or POST; got '" + method + "'");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private byte[] body(String data) {
        if (!data.startsWith("@")) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
        String source = data.substring(1);
        try {
            return source.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (IOException | InvalidPathException e) {
            throw usage("cannot read the body from " + source + " (-d): "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }

    private String lastEventId(String id) {
        try {
            return Event.checkId(id, "--last-event-id");
        } catch (IllegalArgumentException e) {
            throw usage("--last-event-id must not contain CR, LF or NUL");
        }
    }

    private URI uri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw usage("not a URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw usage("the URL must be absolute http or https, such as http://localhost:8080/ping; got " + url);
        }
        return uri;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
