/**
 * JMH benchmarks of sseline's parser and serializer, side by side with okhttp-sse and LaunchDarkly
 * okhttp-eventsource, with the deterministic corpora they read and a tool that turns JMH's JSON
 * results into the tables of {@code BENCHMARKS.md}. Not a library: nothing here is published.
 */
package io.sseline.benchmarks;
