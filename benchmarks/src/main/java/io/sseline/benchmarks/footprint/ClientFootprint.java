package io.sseline.benchmarks.footprint;

import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import com.sun.management.OperatingSystemMXBean;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import javax.management.ObjectName;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.sse.EventSources;

/**
 * The client process of the client-footprint benchmark: opens {@code N} event streams to {@code
 * http://127.0.0.1:PORT/events} with one library, the way its documentation shows, and measures:
 * the time until every stream has received its first event, the delay from the server's broadcast to
 * the listener callback over a measurement window (p50/p99; the event carries {@link
 * System#nanoTime()} at broadcast, the same monotonic clock in both processes on one machine), then
 * the live threads of this JVM, its open sockets, its heap used after a full GC and its resident set
 * size. Over the same window it counts the events delivered to the listeners and this process's CPU
 * time ({@code OperatingSystemMXBean#getProcessCpuTime}, all threads: the HTTP client's, the
 * library's, the JIT's and the GC's), and prints the CPU time per event.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.footprint.ClientFootprint sseline 18081 10000 20
 * java -cp benchmarks.jar io.sseline.benchmarks.footprint.ClientFootprint sseline-default 18081 100 20 10
 * }</pre>
 *
 * <p>A fifth argument, seconds of warm-up, is for the CPU measurement at a high event rate: the
 * window then begins that long after every stream has its first event, and only one stream in 16
 * records its latency, so that the benchmark's own bookkeeping costs little next to the library's.
 *
 * <p>With all streams open, {@code -Dfootprint.histogram=true} adds the live-object class histogram
 * ({@code jcmd <pid> GC.class_histogram}), {@code -Dfootprint.mappings=true} the ten memory mappings
 * with the most resident memory, and {@code -Dfootprint.nmt=true} (with {@code
 * -XX:NativeMemoryTracking=summary}) the JVM's native memory summary.
 *
 * <p>Libraries: {@code sseline-default} ({@code io.sseline.client.EventSource} with no client given:
 * the library's default clients and callback threads, HTTP/2 preferred, which this HTTP/1.1 server
 * declines), {@code sseline} (on one shared {@link
 * HttpClient} forced to HTTP/1.1, with the client's default executor), {@code sseline-pool4} (the
 * same with a fixed pool of four threads as the client's executor), {@code okhttp-sse} (one {@link OkHttpClient} whose dispatcher
 * allows {@code N} concurrent calls, no read timeout), {@code okhttp-eventsource} (one {@code
 * BackgroundEventSource} per stream with its defaults). Prints {@code key=value} lines and exits.
 */
public final class ClientFootprint {
    private static final long FIRST_EVENT_DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final int streams;
    private final AtomicLongArray firstEventAt;
    private final AtomicInteger streamsWithEvent = new AtomicInteger();
    private final Object latencyLock = new Object();
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private volatile boolean measuring;
    private final LongAdder events = new LongAdder();
    private final Map<String, LongAdder> versions = new ConcurrentHashMap<>();
    /** Records the latency of one stream in this many (a power of two). */
    private final int latencyEvery;

    private ClientFootprint(int streams, int latencyEvery) {
        this.streams = streams;
        this.firstEventAt = new AtomicLongArray(streams);
        this.latencyEvery = latencyEvery;
    }

    /** Arguments: library, port, streams, seconds of measurement[, seconds of warm-up]. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println(
                    "usage: ClientFootprint sseline-default|sseline|sseline-pool4|okhttp-sse|okhttp-eventsource"
                            + " <port> <streams> <seconds> [<warm-up seconds>]");
            System.exit(2);
        }
        int streams = Integer.parseInt(args[2]);
        int warmUp = args.length == 5 ? Integer.parseInt(args[4]) : 0;
        new ClientFootprint(streams, args.length == 5 ? 16 : 1)
                .run(args[0], URI.create("http://127.0.0.1:" + args[1] + "/events"), Integer.parseInt(args[3]), warmUp);
        System.exit(0);
    }

    private void run(String library, URI uri, int seconds, int warmUp) throws Exception {
        long start = System.nanoTime();
        List<AutoCloseable> opened = switch (library) {
            case "sseline-default" -> openSseline(uri, null);
            case "sseline" -> openSseline(uri, HttpClient.newBuilder());
            case "sseline-pool4" -> openSseline(uri, HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)));
            case "okhttp-sse" -> openOkhttp(uri);
            case "okhttp-eventsource" -> openLaunchDarkly(uri);
            default ->
                throw new IllegalArgumentException("unknown library " + library
                        + "; use sseline-default, sseline, sseline-pool4, okhttp-sse or okhttp-eventsource");
        };
        long openCallsDone = System.nanoTime();
        long deadline = start + FIRST_EVENT_DEADLINE_NANOS;
        while (streamsWithEvent.get() < streams && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long last = 0;
        for (int i = 0; i < streams; i++) {
            last = Math.max(last, firstEventAt.get(i));
        }
        print("library", library);
        print("streams", streams);
        print("open_calls_seconds", seconds(openCallsDone - start));
        print("streams_with_first_event", streamsWithEvent.get());
        print(
                "time_to_first_event_on_every_stream_seconds",
                streamsWithEvent.get() == streams ? seconds(last - start) : "n/a (not every stream got one)");

        TimeUnit.SECONDS.sleep(warmUp);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        print("load_average_at_start", loadAverage());
        long cpuBefore = os.getProcessCpuTime();
        long eventsBefore = events.sum();
        long windowStart = System.nanoTime();
        measuring = true;
        TimeUnit.SECONDS.sleep(seconds);
        measuring = false;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long delivered = events.sum() - eventsBefore;
        long window = System.nanoTime() - windowStart;
        print("events_in_window", delivered);
        print("events_per_second", String.format(Locale.ROOT, "%.0f", delivered / (window / 1e9)));
        print("cpu_seconds_in_window", seconds(cpu));
        print("cpu_cores_used", String.format(Locale.ROOT, "%.2f", (double) cpu / window));
        print("cpu_us_per_event", delivered == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", cpu / 1e3 / delivered));
        print("load_average_at_end", loadAverage());
        print("http_versions", new TreeMap<>(versions));
        long[] sorted;
        synchronized (latencyLock) {
            sorted = Arrays.copyOf(latencies, latencyCount);
        }
        Arrays.sort(sorted);
        print("latency_samples", sorted.length);
        print("latency_p50_ms", millis(percentile(sorted, 0.50)));
        print("latency_p99_ms", millis(percentile(sorted, 0.99)));

        print("live_threads", ManagementFactory.getThreadMXBean().getThreadCount());
        print("open_sockets", openSockets());
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        print("heap_used_after_gc_kib", heap / 1024);
        long rss = rssKib();
        print("rss_kib", rss);
        MemoryUsage heapUsage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        print("heap_committed_kib", heapUsage.getCommitted() / 1024);
        print("rss_per_stream_kib", String.format(Locale.ROOT, "%.1f", (double) rss / streams));
        print("heap_per_stream_kib", String.format(Locale.ROOT, "%.2f", heap / 1024.0 / streams));
        if (Boolean.getBoolean("footprint.histogram")) {
            printHistogram();
        }
        if (Boolean.getBoolean("footprint.mappings")) {
            printLargestMappings();
        }
        if (Boolean.getBoolean("footprint.nmt")) { // needs -XX:NativeMemoryTracking=summary
            diagnosticCommand("vmNativeMemory", "summary")
                    .lines()
                    .filter(line -> line.contains("committed"))
                    .forEach(line -> System.out.println("nmt: " + line.strip()));
        }
        for (AutoCloseable source : opened) {
            source.close();
        }
    }

    /** With {@code builder} null, the library's default clients; else one client built from it. */
    private List<AutoCloseable> openSseline(URI uri, HttpClient.Builder builder) {
        EventSource.Builder sourceBuilder = EventSource.builder(uri);
        if (builder != null) {
            sourceBuilder.httpClient(
                    builder.version(HttpClient.Version.HTTP_1_1).build());
        }
        List<AutoCloseable> sources = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            int stream = i;
            sources.add(sourceBuilder.connect(new EventSourceListener() {
                @Override
                public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
                    versions.computeIfAbsent(response.version().name(), key -> new LongAdder())
                            .increment();
                }

                @Override
                public void onEvent(EventSource source, Event event) {
                    received(stream, event.data());
                }
            }));
        }
        return sources;
    }

    private List<AutoCloseable> openOkhttp(URI uri) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(streams + 16);
        dispatcher.setMaxRequestsPerHost(streams + 16);
        OkHttpClient client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .build();
        okhttp3.sse.EventSource.Factory factory = EventSources.createFactory(client);
        Request request = new Request.Builder().url(uri.toString()).build();
        List<AutoCloseable> sources = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            int stream = i;
            okhttp3.sse.EventSource source = factory.newEventSource(request, new okhttp3.sse.EventSourceListener() {
                @Override
                public void onOpen(okhttp3.sse.EventSource eventSource, okhttp3.Response response) {
                    versions.computeIfAbsent(response.protocol().name(), key -> new LongAdder())
                            .increment();
                }

                @Override
                public void onEvent(okhttp3.sse.EventSource eventSource, String id, String type, String data) {
                    received(stream, data);
                }
            });
            sources.add(source::cancel);
        }
        return sources;
    }

    private List<AutoCloseable> openLaunchDarkly(URI uri) {
        List<AutoCloseable> sources = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            int stream = i;
            BackgroundEventHandler handler = new BackgroundEventHandler() {
                @Override
                public void onOpen() {}

                @Override
                public void onClosed() {}

                @Override
                public void onMessage(String event, MessageEvent message) {
                    received(stream, message.getData());
                }

                @Override
                public void onComment(String comment) {}

                @Override
                public void onError(Throwable t) {}
            };
            BackgroundEventSource source = new BackgroundEventSource.Builder(
                            handler, new com.launchdarkly.eventsource.EventSource.Builder(uri))
                    .build();
            source.start();
            sources.add(source);
        }
        return sources;
    }

    private void received(int stream, String data) {
        long now = System.nanoTime();
        events.increment();
        if (firstEventAt.get(stream) == 0 && firstEventAt.compareAndSet(stream, 0, now)) {
            streamsWithEvent.incrementAndGet();
        }
        if (!measuring || (stream & (latencyEvery - 1)) != 0) {
            return;
        }
        int at = data.indexOf("\"sent\":");
        if (at < 0) {
            return;
        }
        long sent = 0;
        for (int i = at + 7; i < data.length() && Character.isDigit(data.charAt(i)); i++) {
            sent = sent * 10 + (data.charAt(i) - '0');
        }
        synchronized (latencyLock) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = now - sent;
        }
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * The 40 classes with the most heap, live objects only (the diagnostic command behind {@code jcmd
     * <pid> GC.class_histogram}), with all streams open.
     */
    private static void printHistogram() throws Exception {
        diagnosticCommand("gcClassHistogram")
                .lines()
                .limit(43)
                .forEach(line -> System.out.println("histogram: " + line));
    }

    /** The ten mappings of this process with the most resident memory, from /proc/self/smaps. */
    private static void printLargestMappings() throws IOException {
        List<String> mappings = new ArrayList<>();
        String header = "";
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's first line: addresses, mode, file
                header = line;
            } else if (line.startsWith("Rss:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                mappings.add(String.format(Locale.ROOT, "%10d KiB rss  %s", kib, header));
            }
        }
        mappings.sort((a, b) -> Long.compare(
                Long.parseLong(b.substring(0, 10).strip()),
                Long.parseLong(a.substring(0, 10).strip())));
        mappings.stream().limit(10).forEach(line -> System.out.println("mapping: " + line));
    }

    /** Runs a diagnostic command of this JVM, as {@code jcmd <pid>} would. */
    private static String diagnosticCommand(String operation, String... arguments) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        operation,
                        new Object[] {arguments},
                        new String[] {String[].class.getName()});
    }

    /** The sockets this process holds open: one per HTTP/1.1 stream, one per HTTP/2 connection. */
    private static long openSockets() throws IOException {
        long sockets = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the directory listing itself, or one closed since
                }
            }
        }
        return sockets;
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
