package io.sseline.servlet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time the threads of this JVM (the containers under test run in it) use over a window: what
 * shows a thread spinning, whatever it is named.
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** What the busiest thread used in the window, and the whole JVM's threads together. */
    public record Usage(String busiestThread, Duration busiest, Duration total, String busiestStack) {
        @Override
        public String toString() {
            return "busiest thread " + busiestThread + " used " + busiest.toMillis() + " ms CPU (all threads "
                    + total.toMillis() + " ms) at\n" + busiestStack;
        }
    }

    private ThreadCpu() {}

    /** Measures every thread's CPU time over {@code window}, waited out with a deadline. */
    public static Usage over(Duration window) throws InterruptedException {
        Map<Long, Long> before = snapshot();
        Object monitor = new Object();
        long deadline = System.nanoTime() + window.toNanos();
        synchronized (monitor) {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
        Map<Long, Long> after = snapshot();
        long total = 0;
        long busiest = -1;
        long busiestId = -1;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += used;
            if (used > busiest) {
                busiest = used;
                busiestId = e.getKey();
            }
        }
        ThreadInfo info = busiestId < 0 ? null : THREADS.getThreadInfo(busiestId, 80);
        StringBuilder stack = new StringBuilder();
        if (info != null) {
            for (StackTraceElement frame : info.getStackTrace()) {
                stack.append("    ").append(frame).append('\n');
            }
        }
        return new Usage(
                info == null ? "none" : info.getThreadName(),
                Duration.ofNanos(Math.max(0, busiest)),
                Duration.ofNanos(total),
                stack.toString());
    }

    private static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }
}
