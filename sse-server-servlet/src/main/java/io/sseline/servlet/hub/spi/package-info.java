/**
 * The backplane SPI, for those who write a log that an {@link io.sseline.servlet.hub.EventHub} runs
 * on: {@link io.sseline.servlet.hub.spi.Backplane} and the two values it exchanges with the hub,
 * {@link io.sseline.servlet.hub.spi.BackplaneEntry} and {@link
 * io.sseline.servlet.hub.spi.BackplaneHistory}. Applications need nothing from here but the type they
 * pass to {@link io.sseline.servlet.hub.EventHub.Builder#backplane}; the hub alone calls these
 * methods. {@code sse-redis} implements it on a Redis stream.
 *
 * <p>The contract listed in {@link io.sseline.servlet.hub.spi.Backplane} is what the hub's exact
 * replay rests on; an implementation that keeps it is free in everything else.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.servlet.hub.spi;

import org.jspecify.annotations.NullMarked;
