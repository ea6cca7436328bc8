package io.sseline.examples.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sseline.client.Backoff;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import io.sseline.core.EventDecodeException;
import io.sseline.examples.chat.ChatMessage;
import io.sseline.examples.chat.Presence;
import io.sseline.examples.cli.CommandLines;
import io.sseline.examples.terminal.TerminalText;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A chat client for the terminal: prints the messages and presence of a room as they arrive and
 * posts each line typed. When the connection drops (the server restarts), it reconnects with
 * backoff and resumes with {@code Last-Event-ID}, so the messages sent meanwhile are printed too.
 *
 * <!-- not compiled: a terminal session, not Java -->
 * <pre>{@code
 * $ chat-console --name ada http://localhost:8080/
 * * connected to #lobby as ada (2 online)
 * [22:00] bob: Hello!
 * hi bob            <- typed
 * [22:00] ada: hi bob
 * }</pre>
 *
 * <p>{@link #run(BufferedReader)} reads lines on the calling thread; events are printed on the
 * HTTP client's threads. The output stream is used under its own lock (as {@link PrintStream} does),
 * so lines do not mix.
 */
public final class ConsoleChat {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How many message ids are remembered, to print a message that a replay repeats once. */
    private static final int REMEMBERED = 1000;

    private final URI server;
    private final String name;
    private final String room;
    private final PrintStream out;
    /** Shows text from the server: escaped, or as it is with --raw. */
    private final UnaryOperator<String> show;

    private final HttpClient http;
    // Touched by the event source's callbacks, which run one at a time.
    private final Set<String> seen = new LinkedHashSet<>();
    private boolean connectedBefore;
    private volatile String user;

    ConsoleChat(URI server, String name, String room, PrintStream out) {
        this(server, name, room, out, false);
    }

    ConsoleChat(URI server, String name, String room, PrintStream out, boolean raw) {
        this.show = raw ? UnaryOperator.identity() : TerminalText::escape;
        this.server = Objects.requireNonNull(server, "server");
        this.name = Objects.requireNonNull(name, "name");
        this.room = Objects.requireNonNull(room, "room");
        this.out = Objects.requireNonNull(out, "out");
        this.user = name;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Runs the client on standard input and output until standard input ends; {@code --help} lists
     * the options. Exits with {@code 2} for a wrong command line.
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, System.in, out, err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the client with this command line on these streams until {@code stdin} ends, or prints
     * the help or what is wrong with the command line; returns the exit status.
     */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        ConsoleChatOptions options = new ConsoleChatOptions();
        return CommandLines.execute(CommandLines.create(options), args, out, err, () -> {
            URI server = options.server();
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            new ConsoleChat(server, options.name, options.room, out, options.raw).run(in);
            return 0;
        });
    }

    /** Connects, then posts each line of {@code in} until it ends; closes the connection then. */
    void run(BufferedReader in) throws InterruptedException {
        String query = "sse?room=" + encode(room) + (name.isEmpty() ? "" : "&name=" + encode(name));
        EventSource source = EventSource.builder(server.resolve(query))
                .backoff(Backoff.defaults()
                        .withInitialDelay(Duration.ofSeconds(1))
                        .withMaxDelay(Duration.ofSeconds(5)))
                .build(new Listener());
        // Each type as the record the server sends; data that is not one goes to Listener.onError.
        source.addEventHandler("message", ChatMessage.CODEC, (s, message) -> onMessage(message));
        source.addEventHandler("join", Presence.CODEC, (s, presence) -> onPresence(presence, "joined"));
        source.addEventHandler("leave", Presence.CODEC, (s, presence) -> onPresence(presence, "left"));
        source.addEventHandler("online", Presence.CODEC, (s, presence) -> onOnline(presence));
        source.connect();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    send(line);
                }
            }
        } catch (IOException e) {
            out.println("* cannot read the input: " + e.getMessage());
        } finally {
            source.close();
        }
    }

    private void send(String line) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("content", line);
        body.put("author", user.isEmpty() ? "anonymous" : user);
        body.put("room", room);
        HttpRequest request = HttpRequest.newBuilder(server.resolve("messages"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                out.println("* not sent: " + show.apply(errorOf(response)));
            }
        } catch (IOException e) {
            out.println(
                    "* not sent, the server cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void onMessage(ChatMessage message) {
        if (!seen.add(message.id())) {
            return; // a replay after a restart repeats what was printed
        }
        if (seen.size() > REMEMBERED) {
            seen.remove(seen.iterator().next());
        }
        String timestamp = message.timestamp();
        String time = timestamp.length() >= 5 ? timestamp.substring(timestamp.length() - 5) : timestamp;
        out.println(
                "[" + show.apply(time) + "] " + show.apply(message.author()) + ": " + show.apply(message.content()));
    }

    private void onPresence(Presence presence, String verb) {
        out.println("* " + show.apply(presence.user()) + " " + verb + " (" + presence.online() + " online)");
    }

    private void onOnline(Presence presence) {
        user = presence.user();
        out.println("* " + (connectedBefore ? "reconnected" : "connected") + " to #" + room + " as " + show.apply(user)
                + " (" + presence.online() + " online)");
        connectedBefore = true;
    }

    private static String errorOf(HttpResponse<String> response) {
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error != null && error.hasNonNull("error")) {
                return error.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: report the status
        }
        return "HTTP " + response.statusCode();
    }

    private final class Listener implements EventSourceListener {
        @Override
        public void onError(EventSource source, Throwable error, boolean willReconnect) {
            if (error instanceof EventDecodeException e) {
                Event event = e.event(); // the stream goes on
                String type = e.targetType().getTypeName();
                out.println("* the server sent a " + show.apply(event.type()) + " event that is not a "
                        + type.substring(type.lastIndexOf('.') + 1) + ": " + show.apply(event.data()));
                return;
            }
            out.println("* connection lost (" + error.getClass().getSimpleName() + ")"
                    + (willReconnect ? "; reconnecting" + resumeNote(source) : "; giving up: " + error.getMessage()));
        }
    }

    private static String resumeNote(EventSource source) {
        return source.lastEventId().isEmpty() ? "" : " to resume after " + TerminalText.escape(source.lastEventId());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
