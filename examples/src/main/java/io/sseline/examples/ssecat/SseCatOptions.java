package io.sseline.examples.ssecat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed command line of {@code sse-cat}. Immutable.
 *
 * <pre>{@code
 * SseCatOptions options = SseCatOptions.parse(
 *         new String[] {"-H", "Authorization: Bearer t", "--json", "--once", "http://localhost:8080/ping"},
 *         System.in);
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

    /** The usage text that {@code --help} prints. */
    public static final String USAGE = String.join(
            "\n",
            "usage: sse-cat [options] URL",
            "Prints the Server-Sent Events of URL as they arrive.",
            "",
            "  -H, --header 'Name: value'  add a request header (repeatable)",
            "  -X, --request METHOD        the request method (default GET, or POST with -d)",
            "  -d, --data BODY             the request body; @FILE reads a file, @- standard input",
            "      --last-event-id ID      resume after the event with this id",
            "      --json                  print one JSON object per event: {\"type\":…,\"data\":…,\"id\":…}",
            "      --raw                   print control characters (ESC, CR, ...) as sent, not escaped;",
            "                              only for feeds you trust: they can drive the terminal",
            "      --once                  do not reconnect; exit when the stream ends",
            "  -v, --verbose               report connections and reconnections on standard error",
            "  -h, --help                  print this help",
            "",
            "Without --once, sse-cat reconnects like a browser's EventSource until interrupted.",
            "Exit status: 0 the stream ended (--once) or the server answered 204; 1 the stream failed",
            "while reading; 2 usage error; 3 connection failure; 4 HTTP error status; 5 not an event",
            "stream (wrong Content-Type).");

    /** Checks that no component is {@code null}; copies the header list. */
    public SseCatOptions {
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(lastEventId, "lastEventId");
    }

    /**
     * Parses a command line.
     *
     * @param stdin where {@code -d @-} reads the body from
     * @return the options, or empty when {@code --help} asks for the usage only
     * @throws UsageException if the command line is wrong; the message says how
     */
    public static Optional<SseCatOptions> parse(String[] args, InputStream stdin) throws UsageException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String method = null;
        byte[] body = null;
        String lastEventId = "";
        boolean json = false;
        boolean raw = false;
        boolean once = false;
        boolean verbose = false;
        String url = null;
        boolean options = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (options && arg.startsWith("-") && arg.length() > 1) {
                String name = arg;
                String inline = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    inline = arg.substring(equals + 1);
                } else if (!arg.startsWith("--") && arg.length() > 2) {
                    name = arg.substring(0, 2); // -HName:value, curl style
                    inline = arg.substring(2);
                }
                switch (name) {
                    case "--" -> options = false;
                    case "-h", "--help" -> {
                        return Optional.empty();
                    }
                    case "-H", "--header" -> headers.add(header(inline != null ? inline : value(args, ++i, name)));
                    case "-X", "--request" -> method = method(inline != null ? inline : value(args, ++i, name));
                    case "-d", "--data" -> body = body(inline != null ? inline : value(args, ++i, name), stdin);
                    case "--last-event-id" ->
                        lastEventId = lastEventId(inline != null ? inline : value(args, ++i, name));
                    case "--json" -> json = flag(name, inline);
                    case "--raw" -> raw = flag(name, inline);
                    case "--once" -> once = flag(name, inline);
                    case "-v", "--verbose" -> verbose = flag(name, inline);
                    default -> throw new UsageException("unknown option " + name);
                }
            } else if (url == null) {
                url = arg;
            } else {
                throw new UsageException("only one URL is allowed; got " + url + " and " + arg);
            }
        }
        if (url == null) {
            throw new UsageException("no URL given");
        }
        if (json && raw) {
            throw new UsageException("--raw applies to the readable form; --json escapes control characters anyway");
        }
        String effectiveMethod = method != null ? method : body != null ? "POST" : "GET";
        return Optional.of(new SseCatOptions(
                uri(url), headers, effectiveMethod, Optional.ofNullable(body), lastEventId, json, raw, once, verbose));
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static boolean flag(String name, String inline) throws UsageException {
        if (inline != null) {
            throw new UsageException(name + " takes no value");
        }
        return true;
    }

    private static Map.Entry<String, String> header(String header) throws UsageException {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            throw new UsageException("a header must look like 'Name: value'; got '" + header + "'");
        }
        String name = header.substring(0, colon).strip();
        String value = header.substring(colon + 1).strip();
        try {
            HttpRequest.newBuilder().header(name, value); // the client's own rules for names and values
        } catch (IllegalArgumentException e) {
            throw new UsageException("header '" + header + "' cannot be sent: " + e.getMessage());
        }
        return Map.entry(name, value);
    }

    private static String method(String method) throws UsageException {
        if (method.isEmpty()
                || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new UsageException("-X needs a method name such as GET or POST; got '" + method + "'");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private static byte[] body(String data, InputStream stdin) throws UsageException {
        if (!data.startsWith("@")) {
            return data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        String source = data.substring(1);
        try {
            return source.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new UsageException("cannot read the body from " + source + ": " + e.getMessage());
        }
    }

    private static String lastEventId(String id) throws UsageException {
        if (id.indexOf('\r') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\0') >= 0) {
            throw new UsageException("--last-event-id must not contain CR, LF or NUL");
        }
        return id;
    }

    private static URI uri(String url) throws UsageException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("not a URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException(
                    "the URL must be absolute http or https, such as http://localhost:8080/ping; got " + url);
        }
        return uri;
    }
}
