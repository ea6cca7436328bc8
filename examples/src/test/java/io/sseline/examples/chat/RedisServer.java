package io.sseline.examples.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package; {@code .ci/install-test-deps} installs it) on
 * 127.0.0.1 and a free port, without persistence, as a child process of the test.
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path log;
    private final Process process;

    private RedisServer(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts a server on a free port and waits until it answers {@code PING}. */
    static RedisServer start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("redis-server", ".log");
        Process process = new ProcessBuilder(List.of(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RedisServer redis = new RedisServer(port, log, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                redis.close();
                throw new IllegalStateException("redis-server did not start on port " + port + ": "
                        + Files.readString(log) + " (is Debian's redis-server installed? .ci/install-test-deps)");
            }
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server and waits until it is gone. */
    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while redis-server on port " + port + " stopped");
        }
        Files.deleteIfExists(log);
    }
}
