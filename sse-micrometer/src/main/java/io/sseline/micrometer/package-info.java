/**
 * Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder}s for sseline's event streams,
 * hub, Redis backplane and {@code EventSource} client: each reads the counters the instrumented object
 * keeps, so binding costs the event path nothing. The module README lists every meter.
 */
@NullMarked
package io.sseline.micrometer;

import org.jspecify.annotations.NullMarked;
