/**
 * Server-Sent Events on {@code java.net.http.HttpClient}: a reconnecting {@link
 * io.sseline.client.EventSource} and {@link io.sseline.client.EventBodyHandlers} for one-shot
 * streams such as LLM completions.
 *
 * <p>This module depends on the JDK and {@code io.sseline.core} only.
 */
module io.sseline.client {
    requires transitive io.sseline.core;
    requires transitive java.net.http;
    requires static org.jspecify;

    exports io.sseline.client;
}
