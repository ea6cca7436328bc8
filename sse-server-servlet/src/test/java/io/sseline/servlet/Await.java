package io.sseline.servlet;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for conditions with deadlines, polling; never a fixed sleep. */
public final class Await {
    private Await() {}

    /** Returns once {@code condition} holds; fails after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause();
        }
    }

    /** Fails if {@code condition} ever holds during {@code period}. */
    public static void never(String what, Duration period, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                throw new AssertionError("unexpected: " + what);
            }
            pause();
        }
    }

    private static void pause() throws InterruptedException {
        Object monitor = new Object();
        synchronized (monitor) {
            monitor.wait(5);
        }
    }
}
