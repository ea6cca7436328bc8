package io.sseline.client;

import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: the tests' only way to wait for state. */
final class Await {
    private Await() {}

    static void until(String description, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + description);
            }
            Thread.onSpinWait();
            Object pause = new Object();
            synchronized (pause) {
                pause.wait(5); // a short wait between polls, bounded by the deadline
            }
        }
    }
}
