/**
 * Implementation details of the servlet module; not exported, no compatibility promise.
 *
 * <p>Behind each public {@code EventStream} sits a {@link io.sseline.servlet.internal.StreamEngine}
 * (its life and close handlers), with an {@link io.sseline.servlet.internal.OutboundQueue} (the
 * byte-bounded queue, coalescing, the overflow policy) and a {@link
 * io.sseline.servlet.internal.WriteLoop} (non-blocking writes and the container's callbacks), run by
 * the threads of a {@link io.sseline.servlet.internal.WriterPool}; the engine reports to {@link
 * io.sseline.servlet.internal.StreamOwner}, so calls run from the public types to the engine only.
 * {@link io.sseline.servlet.internal.InMemoryBackplane} is the hub's default log.
 */
@NullMarked
package io.sseline.servlet.internal;

import org.jspecify.annotations.NullMarked;
