package io.sseline.client;

import java.net.http.HttpRequest;

/**
 * Shapes the request of each connection attempt of an {@link EventSource}: it may change the URI, the
 * headers and the method and body, knowing which attempt this is and the last event id. Set it with
 * {@link EventSource.Builder#connectHandler(ConnectHandler)}.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(URI.create("https://example.com/events"))
 *         .connectHandler((request, attempt, lastEventId) -> {
 *             // a server that reads the position from the query, as some hubs do for browsers
 *             if (!lastEventId.isEmpty()) {
 *                 request.uri(URI.create("https://example.com/events?lastEventId="
 *                         + URLEncoder.encode(lastEventId, UTF_8)));
 *             }
 *             request.setHeader("Authorization", "Bearer " + tokens.current());
 *             if (attempt > 3) {
 *                 request.setHeader("X-Degraded", "1");   // tell the server we keep failing
 *             }
 *         })
 *         .build(listener);
 * }</pre>
 *
 * <p>The handler receives a builder that already holds the source's request: its URI, method and
 * body, its fixed headers and those the header supplier computed for this attempt. What the handler
 * leaves in the builder is what the source sends; {@code timeout}, {@code version} and {@code
 * expectContinue} are ignored, since the source's own settings govern them. The source then adds its
 * protocol headers ({@code Accept}, {@code Accept-Encoding}, {@code Cache-Control}) where the handler
 * set none, and {@code Last-Event-ID} when there is an id, whatever the handler set. The URI must stay
 * an absolute {@code http} or {@code https} URI. Redirects of the attempt start from the request the
 * handler made, with the rules of "Redirects" in {@link EventSource}.
 *
 * <p>It runs in the source's callback sequence, just before each attempt, after the header supplier.
 * If it throws, or leaves a request the source cannot send, the source reports the error to {@link
 * EventSourceListener#onError} and closes.
 */
@FunctionalInterface
public interface ConnectHandler {
    /**
     * Called before connection attempt number {@code attempt}.
     *
     * @param request the request of this attempt, to change in place
     * @param attempt 1 for the first attempt of a run; after a failure, one more than the {@link
     *     ReconnectPolicy.Failure#attempt()} of that failure; back to 1 once a stream stayed open for
     *     {@link Backoff#resetAfter()}
     * @param lastEventId the id this attempt resumes from, also sent as {@code Last-Event-ID}; {@code
     *     ""} when there is none
     */
    void onConnect(HttpRequest.Builder request, int attempt, String lastEventId);
}
