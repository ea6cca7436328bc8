package io.sseline.benchmarks.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every fan-out server delivers every event, parsed whole, to every subscriber of the load generator,
 * in each phase; so a figure the benchmark reports counts the same work for each. No timing is
 * checked.
 */
class FanOutAgreementTest {
    private static final int CONNECTIONS = 24;
    private static final List<FanOutLoad.Phase> PHASES = FanOutLoad.phases(List.of("burst:5@0", "paced:3@40"));

    @Test
    void referenceServerDeliversEveryEventOfEveryPhase() throws Exception {
        ReferenceServer reference = ReferenceServer.open(0);
        Thread serving = new Thread(() -> {
            try {
                reference.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        serving.start();
        try {
            assertEveryEventArrives(FanOutLoad.run(reference.port(), CONNECTIONS, 2, PHASES));
        } finally {
            reference.close();
            serving.join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sseline", "hub", "jetty"})
    void libraryServerDeliversEveryEventOfEveryPhase(String library) throws Exception {
        Server server = FanOutServer.start(library, 0, false);
        try {
            assertEveryEventArrives(FanOutLoad.run(FanOutServer.port(server), CONNECTIONS, 2, PHASES));
        } finally {
            server.stop();
        }
    }

    private static void assertEveryEventArrives(Map<String, String> results) {
        assertThat(results)
                .containsEntry("connections_open", String.valueOf(CONNECTIONS))
                .containsEntry("server_idle_subscribers", String.valueOf(CONNECTIONS));
        for (FanOutLoad.Phase phase : PHASES) {
            String expected = String.valueOf((long) phase.count() * CONNECTIONS);
            assertThat(results)
                    .as(phase.name())
                    .containsEntry(phase.name() + "_events_expected", expected)
                    .containsEntry(phase.name() + "_events_delivered", expected)
                    .containsEntry(phase.name() + "_connections_lost", "0");
        }
    }
}
