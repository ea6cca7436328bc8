package io.sseline.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} (Debian's package; {@code .ci/install-test-deps} installs it) on
 * 127.0.0.1 and a free port, without persistence, run as a child process: {@link #stop} and {@link
 * #startAgain} make an outage, and since nothing is saved, a restart loses the data, as a Redis
 * without persistence does.
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisProcess(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("redis");
    }

    /** Starts a server on a free port and returns once it answers {@code PING}. */
    public static RedisProcess start() throws Exception {
        RedisProcess redis = new RedisProcess(freePort());
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port, empty; returns once it answers {@code PING}. */
    public void startAgain() throws Exception {
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(List.of(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Process started = process;
        try {
            await("redis-server on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !started.isAlive() || "+PONG".equals(command("PING")));
        } catch (ConditionTimeoutException e) {
            started.destroyForcibly();
        }
        if (!started.isAlive() || !"+PONG".equals(command("PING"))) {
            throw new IllegalStateException("redis-server did not start on port " + port + ": " + Files.readString(log)
                    + " (is Debian's redis-server installed? .ci/install-test-deps)");
        }
    }

    /** Kills the server and waits until it is gone: an outage that loses the data. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server did not stop");
        }
    }

    /**
     * Sends one inline command and returns the first line of the answer, or null if the server
     * cannot be reached.
     */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** Kills the server, waits until it is gone and deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while redis-server on port " + port + " stopped");
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** A port free on the loopback address at the time of the call. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
