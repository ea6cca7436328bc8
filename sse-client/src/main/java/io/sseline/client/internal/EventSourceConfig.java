package io.sseline.client.internal;

import io.sseline.client.Backoff;
import io.sseline.client.ConnectHandler;
import io.sseline.client.ReconnectPolicy;
import io.sseline.core.EventParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one event source. Immutable; made by {@link Builder}, which holds what {@code
 * EventSource.Builder} checked and documents (that builder is the public face; this one stores, so
 * that the settings reach the source by name rather than as a long list of arguments). The fields
 * are grouped by what they govern.
 */
public final class EventSourceConfig {
    // The request of each connection attempt.
    private final URI uri;
    private final String method;
    private final HttpRequest.BodyPublisher body;
    /** Fixed headers: names as given, in the order first added; their values in the order added. */
    private final Map<String, List<String>> headers;

    private final Supplier<? extends Map<String, String>> headerSupplier;
    private final @Nullable ConnectHandler connectHandler;
    private final String lastEventId;

    // The connection: transport, redirects and timeouts.
    private final HttpClientPool clients;
    private final int maxRedirects;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ScheduledExecutorService scheduler;

    // Between connections.
    private final Backoff backoff;
    private final int maxReconnectAttempts;
    private final Duration maxReconnectTime;
    private final ReconnectPolicy reconnectPolicy;

    // Events and callbacks.
    private final EventParser.Limits parserLimits;
    private final Executor callbackExecutor;

    private EventSourceConfig(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.body = b.body;
        Map<String, List<String>> fixed = new LinkedHashMap<>();
        b.headers.forEach((name, values) -> fixed.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(fixed);
        this.headerSupplier = b.headerSupplier;
        this.connectHandler = b.connectHandler;
        this.lastEventId = b.lastEventId;
        this.clients = b.clients != null ? b.clients : SharedResources.httpClients();
        this.maxRedirects = b.maxRedirects;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.scheduler = b.scheduler != null ? b.scheduler : SharedResources.scheduler();
        this.backoff = b.backoff;
        this.maxReconnectAttempts = b.maxReconnectAttempts;
        this.maxReconnectTime = b.maxReconnectTime;
        this.reconnectPolicy = b.reconnectPolicy;
        this.parserLimits = b.parserLimits;
        this.callbackExecutor = b.callbackExecutor != null ? b.callbackExecutor : SharedResources.callbackExecutor();
    }

    /** Returns a builder with every default, for sources that read {@code uri}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    public URI uri() {
        return uri;
    }

    public String method() {
        return method;
    }

    public HttpRequest.BodyPublisher body() {
        return body;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public Supplier<? extends Map<String, String>> headerSupplier() {
        return headerSupplier;
    }

    /** Shapes each attempt's request; null when none was set. */
    public @Nullable ConnectHandler connectHandler() {
        return connectHandler;
    }

    /** The last event id of the first request. */
    public String lastEventId() {
        return lastEventId;
    }

    public HttpClientPool clients() {
        return clients;
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    /** Zero waits forever. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Zero waits forever. */
    public Duration readTimeout() {
        return readTimeout;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public Backoff backoff() {
        return backoff;
    }

    public int maxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /** Zero means no limit. */
    public Duration maxReconnectTime() {
        return maxReconnectTime;
    }

    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    public EventParser.Limits parserLimits() {
        return parserLimits;
    }

    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /**
     * The settings as {@code EventSource.Builder} sets them, with its defaults; it checks each value
     * before it gets here. Not thread-safe; each {@link #build()} takes a snapshot.
     */
    public static final class Builder {
        private final URI uri;
        private String method = "GET";
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private Supplier<? extends Map<String, String>> headerSupplier = Map::of;
        private @Nullable ConnectHandler connectHandler;
        private String lastEventId = "";
        private @Nullable HttpClientPool clients;
        private int maxRedirects = 20;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofMinutes(5);
        private @Nullable ScheduledExecutorService scheduler;
        private Backoff backoff = Backoff.defaults();
        private int maxReconnectAttempts = Integer.MAX_VALUE;
        private Duration maxReconnectTime = Duration.ZERO;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
        private EventParser.Limits parserLimits = EventParser.Limits.defaults();
        private @Nullable Executor callbackExecutor;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        public Builder method(String method, HttpRequest.BodyPublisher body) {
            this.method = method;
            this.body = body;
            return this;
        }

        public Builder addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder headerSupplier(Supplier<? extends Map<String, String>> headerSupplier) {
            this.headerSupplier = headerSupplier;
            return this;
        }

        public Builder connectHandler(ConnectHandler connectHandler) {
            this.connectHandler = connectHandler;
            return this;
        }

        public Builder lastEventId(String lastEventId) {
            this.lastEventId = lastEventId;
            return this;
        }

        public Builder clients(HttpClientPool clients) {
            this.clients = clients;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder maxReconnectAttempts(int maxReconnectAttempts) {
            this.maxReconnectAttempts = maxReconnectAttempts;
            return this;
        }

        public Builder maxReconnectTime(Duration maxReconnectTime) {
            this.maxReconnectTime = maxReconnectTime;
            return this;
        }

        public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
            this.reconnectPolicy = reconnectPolicy;
            return this;
        }

        public Builder parserLimits(EventParser.Limits parserLimits) {
            this.parserLimits = parserLimits;
            return this;
        }

        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        /**
         * Returns the settings as they are now; the shared defaults (clients, scheduler, callback
         * executor) stand in for those not set, and are started only when first asked for.
         */
        public EventSourceConfig build() {
            return new EventSourceConfig(this);
        }
    }
}
