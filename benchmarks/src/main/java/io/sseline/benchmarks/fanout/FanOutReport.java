package io.sseline.benchmarks.fanout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * Turns the outputs of {@code benchmarks/fanout.sh} ({@code <library>-<N>-r<round>.txt}, the {@code
 * key=value} lines of {@link FanOutLoad}) into the Markdown tables of {@code BENCHMARKS.md}: per
 * library and N, the median and the range over the rounds of each figure, and the ratios to the
 * reference server and to Jetty's {@code EventSourceServlet}. A ratio is taken within each round (the
 * two servers ran minutes apart, under much the same load) and its median over the rounds is shown.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutReport benchmarks/target/fanout
 * }</pre>
 */
public final class FanOutReport {
    private static final Pattern FILE = Pattern.compile("([a-z][a-z0-9]*)-(\\d+)-r(\\d+)\\.txt");
    private static final String REFERENCE = "reference";
    private static final String JETTY = "jetty";

    /** One run: a library at N in one round. */
    record Run(String library, int n, int round, Map<String, String> values) {
        double get(String key) {
            String v = values.get(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }
    }

    private FanOutReport() {}

    /** Prints the tables for the runs in the directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FanOutReport <directory of fanout.sh outputs>");
            System.exit(2);
        }
        System.out.print(report(read(Path.of(args[0]))));
    }

    static List<Run> read(Path directory) throws IOException {
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    runs.add(new Run(
                            m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), values(file)));
                }
            }
        }
        return runs;
    }

    static String report(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        Map<Integer, Map<String, List<Run>>> byN = new TreeMap<>();
        for (Run run : runs) {
            byN.computeIfAbsent(run.n(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(run.library(), l -> new ArrayList<>())
                    .add(run);
        }
        for (Map.Entry<Integer, Map<String, List<Run>>> entry : byN.entrySet()) {
            Map<String, List<Run>> libraries = entry.getValue();
            out.append(String.format(Locale.ROOT, "%n### N = %,d%n%n", entry.getKey()));
            out.append("Median [min – max] over the rounds.\n\n");
            out.append("| server | rounds | back to back: events/s | server events/CPU-s | load generator"
                    + " events/CPU-s | server / load generator CPU-s | p50 / p99 at 1/s (ms) | idle RSS (MiB)"
                    + " | idle heap (MiB) | idle RSS after heartbeats (MiB) | RSS after use (MiB) | load average |\n");
            out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (Map.Entry<String, List<Run>> lib : libraries.entrySet()) {
                List<Run> r = lib.getValue();
                out.append("| ").append(lib.getKey()).append(" | ").append(r.size());
                out.append(" | ").append(spread(r, x -> x.get("throughput_delivered_events_per_second"), "%,.0f"));
                out.append(" | ").append(spread(r, x -> x.get("throughput_server_events_per_cpu_second"), "%,.0f"));
                out.append(" | ").append(spread(r, x -> x.get("throughput_load_events_per_cpu_second"), "%,.0f"));
                out.append(" | ")
                        .append(median(r, x -> x.get("throughput_server_cpu_seconds"), "%.1f"))
                        .append(" / ")
                        .append(median(r, x -> x.get("throughput_load_cpu_seconds"), "%.1f"));
                out.append(" | ")
                        .append(median(r, x -> x.get("latency_latency_p50_ms"), "%.0f"))
                        .append(" / ")
                        .append(spread(r, x -> x.get("latency_latency_p99_ms"), "%.0f"));
                out.append(" | ").append(spread(r, x -> x.get("server_idle_rss_kib") / 1024, "%.0f"));
                out.append(" | ").append(median(r, x -> x.get("server_idle_heap_used_kib") / 1024, "%.1f"));
                out.append(" | ").append(spread(r, x -> x.get("server_settled_rss_kib") / 1024, "%.0f"));
                out.append(" | ").append(spread(r, x -> x.get("server_end_rss_kib") / 1024, "%.0f"));
                out.append(" | ")
                        .append(range(r, x -> x.get("throughput_loadavg_start"), x -> x.get("latency_loadavg_end")));
                out.append(" |\n");
            }
            out.append("\nRatios, median [min – max] of the per-round ratios:\n\n");
            out.append("| server | events/s ÷ reference | events/s ÷ Jetty | server events/CPU-s ÷ Jetty"
                    + " | p99 at 1/s ÷ reference | idle RSS ÷ Jetty | idle RSS after heartbeats ÷ Jetty"
                    + " | RSS after use ÷ Jetty |\n");
            out.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
            for (String library : libraries.keySet()) {
                out.append("| ").append(library);
                out.append(" | ")
                        .append(ratio(libraries, library, REFERENCE, "throughput_delivered_events_per_second"));
                out.append(" | ").append(ratio(libraries, library, JETTY, "throughput_delivered_events_per_second"));
                out.append(" | ").append(ratio(libraries, library, JETTY, "throughput_server_events_per_cpu_second"));
                out.append(" | ").append(ratio(libraries, library, REFERENCE, "latency_latency_p99_ms"));
                out.append(" | ").append(ratio(libraries, library, JETTY, "server_idle_rss_kib"));
                out.append(" | ").append(ratio(libraries, library, JETTY, "server_settled_rss_kib"));
                out.append(" | ").append(ratio(libraries, library, JETTY, "server_end_rss_kib"));
                out.append(" |\n");
            }
        }
        return out.toString();
    }

    private static String ratio(Map<String, List<Run>> libraries, String library, String base, String key) {
        List<Run> those = libraries.get(base);
        if (those == null) {
            return "n/a";
        }
        List<Double> ratios = new ArrayList<>();
        for (Run run : libraries.get(library)) {
            for (Run other : those) {
                if (other.round() == run.round()) {
                    ratios.add(run.get(key) / other.get(key));
                }
            }
        }
        return spreadOf(ratios, "%.2f×");
    }

    private static String spread(List<Run> runs, ToDoubleFunction<Run> f, String format) {
        return spreadOf(runs.stream().map(f::applyAsDouble).toList(), format);
    }

    private static String spreadOf(List<Double> values, String format) {
        double[] v = values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .toArray();
        if (v.length == 0) {
            return "n/a";
        }
        String median = String.format(Locale.ROOT, format, median(v));
        if (v.length == 1) {
            return median;
        }
        return median + " [" + String.format(Locale.ROOT, format, v[0]) + " – "
                + String.format(Locale.ROOT, format, v[v.length - 1]) + "]";
    }

    private static String median(List<Run> runs, ToDoubleFunction<Run> f, String format) {
        double[] v = runs.stream()
                .mapToDouble(f)
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .toArray();
        return v.length == 0 ? "n/a" : String.format(Locale.ROOT, format, median(v));
    }

    private static String range(List<Run> runs, ToDoubleFunction<Run> start, ToDoubleFunction<Run> end) {
        double[] v = runs.stream()
                .flatMapToDouble(r -> DoubleStream.of(start.applyAsDouble(r), end.applyAsDouble(r)))
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .toArray();
        return v.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f – %.1f", v[0], v[v.length - 1]);
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static Map<String, String> values(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
