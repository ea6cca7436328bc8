/**
 * {@link io.sseline.jackson3.JacksonCodec}: an {@link io.sseline.core.EventCodec} that writes and
 * reads event data as JSON with a Jackson 3 ({@code tools.jackson}) {@code ObjectMapper}.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.jackson3;

import org.jspecify.annotations.NullMarked;
