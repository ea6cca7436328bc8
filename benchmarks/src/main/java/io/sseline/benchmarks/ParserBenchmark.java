package io.sseline.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses one whole {@link Corpus} per operation with sseline, okhttp-sse and okhttp-eventsource, side
 * by side in one run. Every event's type, data and id go into the {@link Blackhole}. Before the
 * measurements, each trial checks that all three parsers read exactly the corpus's events, so the
 * figures compare equal work.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ParserBenchmark -f 1 -wi 3 -i 5 -w 1s -r 2s -prof gc \
 *     -rf json -rff parser.json
 * java -cp benchmarks/target/benchmarks.jar io.sseline.benchmarks.Report parser.json
 * }</pre>
 *
 * <p>One operation is one stream: ops/s times {@link Corpus} events per stream gives events/s, and
 * {@code gc.alloc.rate.norm} divided by events per stream gives bytes allocated per event. {@link
 * Report} does both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {
    /** The corpus to parse. */
    @Param({"CHAT", "TOKENS", "BULK", "CHAT_CRLF"})
    public Corpus corpus;

    private byte[] stream;

    /** Generates the corpus and checks that every parser reads exactly its events. */
    @Setup(Level.Trial)
    public void generateAndVerify() {
        Corpus.Stream generated = corpus.generate();
        stream = generated.bytes();
        verify("sseline", generated.events(), ParserDrivers::sseline);
        verify("okhttp-sse", generated.events(), ParserDrivers::okhttpSse);
        verify("okhttp-eventsource", generated.events(), ParserDrivers::launchDarkly);
    }

    /** sseline's {@code EventParser}, fed 8 KiB reads. */
    @Benchmark
    public int sseline(Blackhole blackhole) {
        return ParserDrivers.sseline(stream, sinkOf(blackhole));
    }

    /** okhttp-sse's {@code ServerSentEventReader} on an Okio source. */
    @Benchmark
    public int okhttpSse(Blackhole blackhole) {
        return ParserDrivers.okhttpSse(stream, sinkOf(blackhole));
    }

    /** okhttp-eventsource's parser on an {@code InputStream}. */
    @Benchmark
    public int okhttpEventSource(Blackhole blackhole) {
        return ParserDrivers.launchDarkly(stream, sinkOf(blackhole));
    }

    private static EventSink sinkOf(Blackhole blackhole) {
        return (type, data, id) -> {
            blackhole.consume(type);
            blackhole.consume(data);
            blackhole.consume(id);
        };
    }

    /** A parser driver, as a function the checks can call. */
    @FunctionalInterface
    interface Driver {
        int parse(byte[] stream, EventSink sink);
    }

    /** Parses {@code stream} with {@code driver} and returns what it read, normalized. */
    static List<ParsedEvent> read(Driver driver, byte[] stream) {
        List<ParsedEvent> events = new ArrayList<>();
        int count = driver.parse(stream, (type, data, id) -> events.add(ParsedEvent.of(type, data, id)));
        if (count != events.size()) {
            throw new IllegalStateException("driver counted " + count + " events but reported " + events.size());
        }
        return events;
    }

    private void verify(String parser, List<ParsedEvent> expected, Driver driver) {
        List<ParsedEvent> actual = read(driver, stream);
        if (!actual.equals(expected)) {
            int first = 0;
            while (first < Math.min(actual.size(), expected.size())
                    && actual.get(first).equals(expected.get(first))) {
                first++;
            }
            throw new IllegalStateException(parser + " read " + actual.size() + " events from " + corpus + ", expected "
                    + expected.size() + "; first difference at event " + first
                    + ": the comparison would not be of equal work");
        }
    }
}
