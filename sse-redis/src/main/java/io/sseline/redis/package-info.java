/**
 * An {@link io.sseline.servlet.hub.EventHub} backplane on Redis Streams: {@link
 * io.sseline.redis.RedisBackplane} lets several server nodes share channels, history and {@code
 * Last-Event-ID} replay through one Redis stream.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.redis;

import org.jspecify.annotations.NullMarked;
