package io.sseline.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP/1.1 server driven byte by byte from the test thread, for what MockWebServer cannot
 * script: a server that never answers, a stream left open, writes that must block, and seeing when
 * the client closes its end.
 */
final class RawServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final BlockingQueue<Exchange> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    RawServer() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "raw-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri(String path) throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel channel = server.accept();
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
                accepted.add(new Exchange(channel));
            }
        } catch (IOException closed) {
            // the server was closed
        }
    }

    /** Waits for the next connection and reads its request head. */
    Exchange accept() throws Exception {
        Exchange exchange = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(exchange).as("a connection within 10 s").isNotNull();
        exchange.readRequestHead();
        return exchange;
    }

    /** The next connection within {@code wait}, with its request head read, or null if none came. */
    Exchange acceptWithin(Duration wait) throws Exception {
        Exchange exchange = accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (exchange != null) {
            exchange.readRequestHead();
        }
        return exchange;
    }

    /** Asserts that no connection arrives within {@code wait}. */
    void assertNoConnection(Duration wait) throws InterruptedException {
        assertThat(accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS))
                .as("connection")
                .isNull();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Exchange e : accepted) {
            e.channel.close();
        }
    }

    /** One accepted connection. */
    static final class Exchange implements AutoCloseable {
        final SocketChannel channel;
        String requestHead = "";

        Exchange(SocketChannel channel) {
            this.channel = channel;
        }

        private void readRequestHead() throws IOException {
            StringBuilder head = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString().endsWith("\r\n\r\n")) {
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IOException("client closed before the end of its request: " + head);
                }
                head.append(new String(one.array(), 0, 1, ISO_8859_1));
            }
            requestHead = head.toString();
        }

        /** The bytes of a request header's value as the client sent them, or null. */
        byte[] headerBytes(String name) {
            String value = header(name);
            return value == null ? null : value.getBytes(ISO_8859_1);
        }

        /** The value of a request header, one character per byte, or null. */
        String header(String name) {
            for (String line : requestHead.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** Sends the head of an endless event stream (its body ends when the connection closes). */
        Exchange sendStreamHead() throws IOException {
            return write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
        }

        Exchange write(String text) throws IOException {
            return write(text.getBytes(UTF_8));
        }

        Exchange write(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return this;
        }

        /**
         * Writes {@code buffer} without blocking for more than {@code patience} at a time. Returns false
         * if the client took no byte for that long, leaving the rest in the buffer.
         */
        boolean writeUnlessStalled(ByteBuffer buffer, Duration patience) throws IOException {
            channel.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_WRITE);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        selector.selectedKeys().clear();
                        if (selector.select(patience.toMillis()) == 0) {
                            return false;
                        }
                    }
                }
                return true;
            } finally {
                // The selector is closed by now, which deregisters the channel.
                channel.configureBlocking(true);
            }
        }

        /** Where {@link #writeEventsUntilStalled} stopped: events begun, and the one that did not go out. */
        record Stall(int written, ByteBuffer pending) {}

        /**
         * Writes events {@code id: N} with {@code payload} as data until one stalls for half a second
         * (at most 8,192 of them); fails if none does.
         */
        Stall writeEventsUntilStalled(String payload) throws IOException {
            for (int written = 0; written < 8192; ) {
                ByteBuffer event = ByteBuffer.wrap(("id: " + written + "\ndata: " + payload + "\n\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                written++;
                if (!writeUnlessStalled(event, Duration.ofMillis(500))) {
                    return new Stall(written, event);
                }
            }
            throw new AssertionError("no write stalled in 8,192 events of " + payload.length() + " bytes");
        }

        /** Waits until the client closes its end of the connection; fails after 10 s. */
        void awaitClientClose() throws IOException {
            channel.configureBlocking(true);
            channel.socket().setSoTimeout(10_000);
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (System.nanoTime() < deadline) {
                    sink.clear();
                    // A socket channel ignores SO_TIMEOUT; read through the socket's stream instead.
                    int n = channel.socket().getInputStream().read(sink.array());
                    if (n < 0) {
                        return;
                    }
                }
            } catch (IOException reset) {
                return; // a reset is a close too
            }
            throw new AssertionError("the client did not close the connection within 10 s");
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
