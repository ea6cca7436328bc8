/**
 * Consuming Server-Sent Events with {@link java.net.http.HttpClient}: the reconnecting {@link
 * io.sseline.client.EventSource} with its {@link io.sseline.client.EventSourceListener}, and {@link
 * io.sseline.client.EventBodyHandlers} for a single response read without reconnection.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.client;

import org.jspecify.annotations.NullMarked;
