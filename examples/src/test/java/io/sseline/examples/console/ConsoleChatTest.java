package io.sseline.examples.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.examples.chat.ChatMessage;
import io.sseline.examples.chat.ChatServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleChatTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-01T22:00:00Z"), ZoneId.of("UTC"));

    private final HttpClient http = HttpClient.newHttpClient();
    private final Lines output = new Lines();
    private ChatServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void printsMessagesAndPresencePostsTypedLinesAndResumesAfterAServerRestart() throws Exception {
        server = start(0);
        PipedOutputStream keyboard = new PipedOutputStream();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(new PipedInputStream(keyboard), UTF_8));
        PrintStream stdout = new PrintStream(output, true, UTF_8);
        ConsoleChat chat = new ConsoleChat(server.uri(), "ada", "lobby", stdout);
        Thread client = runInBackground(chat, stdin);
        awaitOutput("* connected to #lobby as ada (1 online)");

        post("{\"content\":\"Hello!\",\"author\":\"bob\"}");
        awaitOutput("[22:00] bob: Hello!");

        keyboard.write("hi bob\n".getBytes(UTF_8));
        keyboard.flush();
        awaitOutput("[22:00] ada: hi bob");
        assertThat(server.rooms().history("lobby"))
                .extracting(ChatMessage::author, ChatMessage::content)
                .contains(org.assertj.core.groups.Tuple.tuple("ada", "hi bob"));

        int port = server.uri().getPort();
        server.close();
        awaitOutput("* connection lost");
        server = start(port);
        post("{\"content\":\"sent while you were away\",\"author\":\"bob\"}");

        awaitOutput("* reconnected to #lobby as ada (1 online)");
        awaitOutput("[22:00] bob: sent while you were away");

        keyboard.close();
        client.join(TIMEOUT.toMillis());
        assertThat(client.isAlive()).as("the client ends with its input").isFalse();
        assertThat(text().lines().filter(line -> line.equals("[22:00] bob: Hello!")))
                .as("each message printed once")
                .hasSize(1);
    }

    @Test
    void theCommandLineChoosesTheServerTheRoomAndTheName() throws Exception {
        server = start(0);
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        AtomicInteger code = new AtomicInteger(-1);
        Thread client = new Thread(
                () -> code.set(ConsoleChat.run(
                        new String[] {
                            "--name", "ada", "--room", "attic", server.uri().toString()
                        },
                        stdin,
                        new PrintStream(output, true, UTF_8),
                        new PrintStream(errors, true, UTF_8))),
                "console-chat");
        client.start();
        awaitOutput("* connected to #attic as ada (1 online)");

        keyboard.write("hi from the command line\n".getBytes(UTF_8));
        keyboard.flush();
        awaitOutput("[22:00] ada: hi from the command line");

        keyboard.close();
        client.join(TIMEOUT.toMillis());
        assertThat(client.isAlive()).as("the client ends with its input").isFalse();
        assertThat(code).hasValue(0);
        assertThat(errors.toString(UTF_8)).isEmpty();
    }

    @Test
    void refusedMessageIsReportedWithTheServersReason() throws Exception {
        server = start(0);
        PipedOutputStream keyboard = new PipedOutputStream();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(new PipedInputStream(keyboard), UTF_8));
        ConsoleChat chat = new ConsoleChat(server.uri(), "ada", "lobby", new PrintStream(output, true, UTF_8));
        Thread client = runInBackground(chat, stdin);
        awaitOutput("* connected");

        keyboard.write(("x".repeat(1001) + "\n").getBytes(UTF_8));
        keyboard.close();

        awaitOutput("* not sent: content has 1001 characters; the most a message may have is 1000");
        client.join(TIMEOUT.toMillis());
        assertThat(server.rooms().history("lobby")).isEmpty();
    }

    @ParameterizedTest(name = "raw={0}")
    @ValueSource(booleans = {false, true})
    void controlCharactersInMessagesAndNamesAreEscapedUnlessRaw(boolean raw) throws Exception {
        server = start(0);
        PipedOutputStream keyboard = new PipedOutputStream();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(new PipedInputStream(keyboard), UTF_8));
        ConsoleChat chat = new ConsoleChat(server.uri(), "ada", "lobby", new PrintStream(output, true, UTF_8), raw);
        Thread client = runInBackground(chat, stdin);
        awaitOutput("* connected");

        // A text that would clear the screen and forge a line, with a C1 control (CSI) too. (This
        // server refuses such names; the client escapes names from any server all the same.)
        post("{\"content\":\"hi\\u001b[2J\\u009b\\r[22:00] admin: forged\",\"author\":\"eve\"}");

        awaitOutput(
                raw
                        ? "[22:00] eve: hi\u001b[2J\u009b\r[22:00] admin: forged"
                        : "[22:00] eve: hi\\x1B[2J\\x9B\\x0D[22:00] admin: forged");
        keyboard.close();
        client.join(TIMEOUT.toMillis());
    }

    /** Runs {@code chat} on {@code stdin} in a thread of its own, as its main thread would. */
    private static Thread runInBackground(ConsoleChat chat, BufferedReader stdin) {
        Thread client = new Thread(
                () -> {
                    try {
                        chat.run(stdin);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "console-chat");
        client.start();
        return client;
    }

    private ChatServer start(int port) throws Exception {
        return ChatServer.builder()
                .port(port)
                .httpsPort(-1)
                .clock(CLOCK)
                .reconnectDelay(Duration.ofMillis(200))
                .start();
    }

    private void post(String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private String text() {
        return output.transcript();
    }

    /** Waits for the next line that starts with {@code prefix}, skipping the lines before it. */
    private void awaitOutput(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? output.lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError(
                        "no line starting with \"" + prefix + "\" within " + TIMEOUT + "; the output was:\n" + text());
            }
            if (line.startsWith(prefix)) {
                return;
            }
        }
    }

    /** An output stream that hands each complete line to a queue and keeps a transcript. */
    private static final class Lines extends OutputStream {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final StringBuilder transcript = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String line = current.toString(UTF_8);
                current.reset();
                transcript.append(line).append('\n');
                lines.add(line);
            } else {
                current.write(b);
            }
        }

        synchronized String transcript() {
            return transcript.toString();
        }
    }
}
