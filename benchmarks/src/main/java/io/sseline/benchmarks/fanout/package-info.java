/**
 * The fan-out load benchmark: {@link io.sseline.benchmarks.fanout.FanOutServer} serves one broadcast
 * channel with sseline or a peer library, in its own process, and {@link
 * io.sseline.benchmarks.fanout.FanOutLoad}, one load generator for every server, holds thousands of
 * subscriber connections on loopback and measures what arrives. {@code benchmarks/fanout.sh} runs
 * them.
 */
package io.sseline.benchmarks.fanout;
