/**
 * The client-footprint benchmark: {@link io.sseline.benchmarks.footprint.ClientFootprint} holds
 * thousands of event streams with sseline's client or a peer, in its own process, against the
 * fan-out benchmark's server publishing one event per second, and reports its threads, heap, RSS,
 * time to the first event on every stream and delivery latency. {@code
 * benchmarks/client-footprint.sh} runs it.
 */
package io.sseline.benchmarks.footprint;
