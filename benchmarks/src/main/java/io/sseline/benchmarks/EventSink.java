package io.sseline.benchmarks;

/**
 * Receives each event a parser driver reads. The benchmarks pass a sink that hands every value to a
 * JMH {@code Blackhole}; the agreement checks pass one that collects {@link ParsedEvent}s.
 *
 * <pre>{@code
 * List<ParsedEvent> events = new ArrayList<>();
 * ParserDrivers.sseline(corpus.bytes(), (type, data, id) -> events.add(ParsedEvent.of(type, data, id)));
 * }</pre>
 *
 * <p>Called on the thread that drives the parser. Peers pass {@code null} for a missing type or id.
 */
@FunctionalInterface
public interface EventSink {
    /** Called once per dispatched event. */
    void accept(String type, String data, String id);
}
