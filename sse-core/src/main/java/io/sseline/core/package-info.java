/**
 * Events and their wire format: {@link io.sseline.core.Event}, the incremental {@link
 * io.sseline.core.EventParser}, the blocking {@link io.sseline.core.EventReader} and the {@link
 * io.sseline.core.EventSerializer}; and {@link io.sseline.core.EventCodec}, which turns values of
 * one type into event data and back.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.core;

import org.jspecify.annotations.NullMarked;
