/**
 * The broadcast hub: {@link io.sseline.servlet.hub.EventHub} delivers events published to named
 * channels to every subscribed {@link io.sseline.servlet.EventStream}, keeps a bounded history, and
 * replays exactly what a reconnecting client missed. By default the hub keeps its log in memory,
 * for one server node; the {@link io.sseline.servlet.hub.spi.Backplane} SPI (package {@code
 * hub.spi}) lets several nodes share one log.
 *
 * <h2>Why one log for all channels</h2>
 *
 * <p>A browser's {@code EventSource} sends back one {@code Last-Event-ID}, the id of the last event
 * it received, whatever channel that event came from. For a client subscribed to several channels,
 * that one id must say where it stands in all of them. Two designs can do that: ids that encode a
 * position per channel (a vector that grows with the number of channels, changes size as clients
 * subscribe differently, and must be merged on every event), or one ordered log shared by all
 * channels, each event's id being its position, each connection reading the log filtered by its
 * channels (as the Mercure hub does). We chose the shared log: an id is small and opaque, a position
 * in the log answers "what did I miss" for any set of channels, the seam between replay and live
 * delivery is one comparison, and it maps directly onto a distributed log such as one Redis stream
 * ({@code XADD} assigns the id, {@code XREAD} tails it on every node, {@code XRANGE} reads the
 * history after an id). The cost is that the history bound is shared by all channels; a busy
 * channel shortens the replay window of a quiet one, which the gap test accounts for exactly (a
 * client hears of a gap only if an event of its own channels was trimmed).
 *
 * <p>Ids carry an epoch (for the in-memory log, {@code <epoch>-<sequence>}), so that an id from
 * before a restart, which this log never issued, is answered with a {@link
 * io.sseline.servlet.hub.HistoryGapHandler gap} and a snapshot rather than with a wrong replay.
 *
 * <p>Every type here rejects {@code null} arguments with a {@link NullPointerException}; no method
 * returns {@code null}.
 */
@NullMarked
package io.sseline.servlet.hub;

import org.jspecify.annotations.NullMarked;
