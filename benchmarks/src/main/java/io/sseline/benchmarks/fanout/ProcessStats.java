package io.sseline.benchmarks.fanout;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a fan-out server process reports at {@code GET /control/stats}, the same for every Java
 * server: subscribers, live threads, RSS, heap used after a full GC, direct buffers, whether a publisher runs, and
 * the CPU time the whole process has used so far, and the JDK. With {@code gc}, a full GC runs first
 * so that the heap figure counts live objects only; the CPU time is read before it, so asking does
 * not count. The load generator asks without {@code gc} around each measurement, so that the
 * window of CPU time it measures holds no GC of its own making.
 *
 * <pre>{@code
 * String body = ProcessStats.read(10_000, false, true);
 * // subscribers=10000\nthreads=208\nrss_kib=190000\nheap_used_kib=66000\npublishing=false\ncpu_ms=5123\njava=17.0.15\n
 * }</pre>
 */
final class ProcessStats {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessStats() {}

    /** The stats as {@code key=value} lines; with {@code gc}, after a full GC. */
    static String read(int subscribers, boolean publishing, boolean gc) {
        long cpuMillis = cpuNanos() / 1_000_000;
        if (gc) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return String.format(
                Locale.ROOT,
                "subscribers=%d%nthreads=%d%nrss_kib=%d%nheap_used_kib=%d%ndirect_kib=%d%npublishing=%b%ncpu_ms=%d%n"
                        + "java=%s%n",
                subscribers,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                rssKib(),
                heap / 1024,
                directBytes() / 1024,
                publishing,
                cpuMillis,
                System.getProperty("java.version"));
    }

    /** Bytes of direct buffers the JDK has allocated and not yet freed (Jetty's pool holds its buffers there). */
    static long directBytes() {
        long bytes = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                bytes += pool.getMemoryUsed();
            }
        }
        return bytes;
    }

    /** CPU time used by every thread of this process so far, the GC's included. */
    static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** The 1-minute load average of the machine, from {@code /proc/loadavg}; -1 where there is none. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    private static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
