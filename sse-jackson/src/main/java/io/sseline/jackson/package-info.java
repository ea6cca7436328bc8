/**
 * {@link io.sseline.jackson.JacksonCodec}: an {@link io.sseline.core.EventCodec} that writes and
 * reads event data as JSON with a Jackson 2 {@code ObjectMapper}.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.jackson;

import org.jspecify.annotations.NullMarked;
