package io.sseline.benchmarks;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Serializes the {@link Corpus#CHAT} events with {@link EventSerializer#serialize(Event)}, all of them
 * per operation, for reference next to the parser figures. Each trial first checks that the bytes are
 * exactly the chat corpus.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SerializerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 2s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerializerBenchmark {
    private Event[] events;

    /** Builds the chat events and checks that they serialize to the chat corpus. */
    @Setup(Level.Trial)
    public void buildAndVerify() {
        events = toEvents(Corpus.chatEvents());
        byte[] expected = Corpus.CHAT.generate().bytes();
        byte[] actual = serializeAll(events);
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalStateException(
                    "serialized chat events differ from the chat corpus at byte " + Arrays.mismatch(actual, expected));
        }
    }

    /** One serialize call per event; returns the bytes written. */
    @Benchmark
    public long serialize(Blackhole blackhole) {
        long size = 0;
        for (Event event : events) {
            byte[] bytes = EventSerializer.serialize(event);
            size += bytes.length;
            blackhole.consume(bytes);
        }
        return size;
    }

    static Event[] toEvents(List<ParsedEvent> parsed) {
        return parsed.stream()
                .map(e -> Event.of(e.data()).withType(e.type()).withId(e.id()))
                .toArray(Event[]::new);
    }

    static byte[] serializeAll(Event[] events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Event event : events) {
            out.writeBytes(EventSerializer.serialize(event));
        }
        return out.toByteArray();
    }
}
