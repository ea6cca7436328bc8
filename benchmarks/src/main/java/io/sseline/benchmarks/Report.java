package io.sseline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) of {@link ParserBenchmark} and {@link
 * SerializerBenchmark} into the Markdown tables of {@code BENCHMARKS.md}: events/s, MB/s (10^6 bytes
 * of wire format per second) and bytes allocated per event, and for the parser whether sseline meets
 * its targets against the peers.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.sseline.benchmarks.Report parser.json [more.json ...]
 * }</pre>
 *
 * <p>Events and bytes per operation come from regenerating the corpora, which are deterministic.
 */
public final class Report {
    private static final String SSELINE = "sseline";
    private static final Map<String, String> PARSER_NAMES = Map.of(
            "sseline", "sseline `EventParser`",
            "okhttpSse", "okhttp-sse `ServerSentEventReader`",
            "okhttpEventSource", "okhttp-eventsource `EventParser`");

    private Report() {}

    /** One measured benchmark, per operation. */
    record Result(
            String benchmark,
            String method,
            Corpus corpus,
            double opsPerSecond,
            double error,
            double allocPerOp,
            double cpuNanosPerOp) {}

    /** Prints the tables for the given JSON result files to standard output. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report <jmh-result.json>...  (write one with -rf json -rff <file>)");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String file : args) {
            for (JsonNode run : json.readTree(Files.readString(Path.of(file)))) {
                results.add(parse(run));
            }
        }
        print(results, System.out);
    }

    private static Result parse(JsonNode run) {
        String name = run.path("benchmark").asText();
        int dot = name.lastIndexOf('.');
        String benchmark = name.substring(name.lastIndexOf('.', dot - 1) + 1, dot);
        String corpusName = run.path("params").path("corpus").asText("CHAT");
        JsonNode primary = run.path("primaryMetric");
        if (!primary.path("scoreUnit").asText().equals("ops/s")) {
            throw new IllegalArgumentException(name + " is in "
                    + primary.path("scoreUnit").asText() + "; run the benchmarks in their default throughput mode");
        }
        JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
        JsonNode cpu = run.path("secondaryMetrics").path("cpu.time.norm");
        return new Result(
                benchmark,
                name.substring(dot + 1),
                Corpus.valueOf(corpusName),
                primary.path("score").asDouble(),
                primary.path("scoreError").asDouble(),
                alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble(),
                cpu.isMissingNode() ? Double.NaN : cpu.path("score").asDouble());
    }

    static void print(List<Result> results, PrintStream out) {
        Map<Corpus, Corpus.Stream> streams = new EnumMap<>(Corpus.class);
        Map<Corpus, List<Result>> parserRuns = new LinkedHashMap<>();
        List<Result> serializerRuns = new ArrayList<>();
        for (Result result : results) {
            streams.computeIfAbsent(result.corpus(), Corpus::generate);
            if (result.benchmark().equals("ParserBenchmark")) {
                parserRuns
                        .computeIfAbsent(result.corpus(), c -> new ArrayList<>())
                        .add(result);
            } else if (result.benchmark().equals("SerializerBenchmark")) {
                serializerRuns.add(result);
            }
        }
        out.println("| corpus | events per stream | bytes per stream | mean bytes per event |");
        out.println("|---|--:|--:|--:|");
        for (Map.Entry<Corpus, Corpus.Stream> stream : streams.entrySet()) {
            int events = stream.getValue().events().size();
            int bytes = stream.getValue().bytes().length;
            out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %,d | %,.1f |%n",
                    stream.getKey(),
                    events,
                    bytes,
                    (double) bytes / events);
        }
        out.println();
        if (!parserRuns.isEmpty()) {
            out.println(
                    "| corpus | parser | events/s | ± (99.9%) | MB/s | events per CPU-second | B allocated/event |");
            out.println("|---|---|--:|--:|--:|--:|--:|");
            for (Map.Entry<Corpus, List<Result>> corpus : parserRuns.entrySet()) {
                for (Result r : corpus.getValue()) {
                    row(out, streams.get(r.corpus()), r, PARSER_NAMES.getOrDefault(r.method(), r.method()));
                }
            }
            out.println();
            out.println("| corpus | sseline ÷ fastest peer, events/s | same, events per CPU-second | target ≥ 1.5× |"
                    + " sseline B/event vs a peer's fewest | target: fewer |");
            out.println("|---|--:|--:|---|--:|---|");
            for (Map.Entry<Corpus, List<Result>> corpus : parserRuns.entrySet()) {
                verdict(out, corpus.getKey(), corpus.getValue(), streams.get(corpus.getKey()));
            }
            out.println();
        }
        if (!serializerRuns.isEmpty()) {
            out.println(
                    "| events | benchmark | events/s | ± (99.9%) | MB/s | events per CPU-second | B allocated/event |");
            out.println("|---|---|--:|--:|--:|--:|--:|");
            for (Result r : serializerRuns) {
                row(out, streams.get(r.corpus()), r, "`EventSerializer.serialize`, chat events");
            }
            out.println();
        }
    }

    private static void row(PrintStream out, Corpus.Stream stream, Result r, String label) {
        int events = stream.events().size();
        out.printf(
                Locale.ROOT,
                "| %s | %s | %,.0f | %s | %,.1f | %s | %,.1f |%n",
                r.corpus(),
                label,
                r.opsPerSecond() * events,
                Double.isNaN(r.error()) ? "n/a" : String.format(Locale.ROOT, "%,.0f", r.error() * events),
                r.opsPerSecond() * stream.bytes().length / 1e6,
                Double.isNaN(r.cpuNanosPerOp())
                        ? "n/a"
                        : String.format(Locale.ROOT, "%,.0f", events * 1e9 / r.cpuNanosPerOp()),
                r.allocPerOp() / events);
    }

    private static void verdict(PrintStream out, Corpus corpus, List<Result> runs, Corpus.Stream stream) {
        Result sseline = null;
        double fastestPeer = 0;
        double cheapestPeerCpu = Double.MAX_VALUE;
        double leanestPeer = Double.MAX_VALUE;
        for (Result r : runs) {
            if (r.method().equals(SSELINE)) {
                sseline = r;
            } else {
                fastestPeer = Math.max(fastestPeer, r.opsPerSecond());
                cheapestPeerCpu = Math.min(cheapestPeerCpu, r.cpuNanosPerOp());
                leanestPeer = Math.min(leanestPeer, r.allocPerOp());
            }
        }
        if (sseline == null || fastestPeer == 0) {
            return;
        }
        int events = stream.events().size();
        double speedup = sseline.opsPerSecond() / fastestPeer;
        double cpuSpeedup = cheapestPeerCpu / sseline.cpuNanosPerOp();
        // Met only when wall-clock and CPU time agree; a split result is reported as such.
        boolean wallMet = speedup >= 1.5;
        boolean cpuMet = Double.isNaN(cpuSpeedup) ? wallMet : cpuSpeedup >= 1.5;
        String verdict = wallMet && cpuMet ? "met" : !wallMet && !cpuMet ? "**missed**" : "unsettled (noisy)";
        out.printf(
                Locale.ROOT,
                "| %s | %.2f× | %s | %s | %,.1f vs %,.1f | %s |%n",
                corpus,
                speedup,
                Double.isNaN(cpuSpeedup) ? "n/a" : String.format(Locale.ROOT, "%.2f×", cpuSpeedup),
                verdict,
                sseline.allocPerOp() / events,
                leanestPeer / events,
                sseline.allocPerOp() < leanestPeer ? "met" : "**missed**");
    }
}
