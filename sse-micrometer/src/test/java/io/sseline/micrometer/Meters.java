package io.sseline.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;

/** Reads one meter of a registry by name and tags; fails if there is none. */
final class Meters {
    private Meters() {}

    static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    static double millis(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).timeGauge().value(TimeUnit.MILLISECONDS);
    }

    static FunctionCounter functionCounter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter();
    }

    static Gauge gaugeMeter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge();
    }

    static TimeGauge timeGaugeMeter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).timeGauge();
    }
}
