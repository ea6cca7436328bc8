/**
 * {@code sse-cat}, a curl for event streams: prints any Server-Sent Events feed readably or as one
 * JSON object per event, once or reconnecting like {@code EventSource}. Run {@link
 * io.sseline.examples.ssecat.SseCat}, or the {@code examples/sse-cat} script.
 */
package io.sseline.examples.ssecat;
