package io.sseline.benchmarks.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The subscribers of {@link HubCodecCost}, in a process of their own: one thread and one selector
 * hold N HTTP/1.1 {@code GET /events} connections and count the {@code data:} lines they read (each
 * event of the benchmark has one). On each number read from standard input, it answers {@code done}
 * once that many events have arrived in all.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.codec.SubscriberLoad 8080 10000
 * }</pre>
 */
public final class SubscriberLoad {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private SubscriberLoad() {}

    /** Arguments: port, connections. Ends when standard input ends. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        AtomicLong wanted = new AtomicLong(Long.MAX_VALUE);
        Selector selector = Selector.open();
        Thread commands = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            wanted.set(Long.parseLong(line.trim()));
                            selector.wakeup();
                        }
                    } catch (IOException e) {
                        // the benchmark ended
                    }
                    System.exit(0);
                },
                "commands");
        commands.setDaemon(true);
        commands.start();

        byte[] request = ("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int opened = 0; opened < connections; opened++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new int[1]);
            if (opened % 500 == 499) {
                drain(selector); // read the heads of a batch, so that the server never waits on us
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        while (true) {
            if (received >= wanted.get()) {
                wanted.set(Long.MAX_VALUE);
                System.out.println("done");
                System.out.flush();
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                received += read(key, buffer);
            }
            selector.selectedKeys().clear();
        }
    }

    private static void drain(Selector selector) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        selector.selectNow();
        for (SelectionKey key : selector.selectedKeys()) {
            read(key, buffer);
        }
        selector.selectedKeys().clear();
    }

    /**
     * Reads what the connection has and returns how many {@code data:} it held; the attachment keeps
     * how much of the marker the previous read ended with, since a read may split it.
     */
    private static int read(SelectionKey key, ByteBuffer buffer) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        int[] matched = (int[]) key.attachment();
        int found = 0;
        int n;
        while ((n = channel.read(buffer.clear())) > 0) {
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == DATA[matched[0]]) {
                    if (++matched[0] == DATA.length) {
                        found++;
                        matched[0] = 0;
                    }
                } else {
                    matched[0] = bytes[i] == DATA[0] ? 1 : 0;
                }
            }
        }
        if (n < 0) {
            throw new IOException("the server closed a subscriber's connection");
        }
        return found;
    }
}
