package io.sseline.redis;

import java.io.IOException;
import java.time.Duration;

/**
 * One server node in a process of its own, for {@link TwoNodeProcessesIT}: {@code NodeMain
 * <redis-uri> <stream-key>} starts a {@link Node} on a free port, prints {@code READY <port>}, and
 * runs until killed or until its standard input closes (so it never outlives the test).
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        RedisBackplane backplane = RedisBackplane.builder()
                .uri(args[0])
                .streamKey(args[1])
                .commandTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        try (Node node = Node.start(backplane)) {
            System.out.println("READY " + node.port());
            System.out.flush();
            try {
                while (System.in.read() >= 0) {
                    // runs until the test closes our input or kills us
                }
            } catch (IOException e) {
                // input gone: the test is over
            }
        }
    }
}
