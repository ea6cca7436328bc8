/**
 * The emitter: {@link io.sseline.servlet.EventStreams} opens an {@link io.sseline.servlet.EventStream}
 * on an asynchronous servlet response and sends events to it without ever blocking the caller; {@link
 * io.sseline.servlet.EventStreamServlet} is the ready-made servlet around it.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.servlet;

import org.jspecify.annotations.NullMarked;
