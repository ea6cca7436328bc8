package io.sseline.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for conditions with deadlines, polling; never a fixed sleep. */
final class Await {
    private Await() {}

    /** Returns once {@code condition} holds; fails after {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Object monitor = new Object();
            synchronized (monitor) {
                monitor.wait(10);
            }
        }
    }
}
