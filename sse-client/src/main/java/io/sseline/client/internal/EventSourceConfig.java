package io.sseline.client.internal;

import io.sseline.client.Backoff;
import io.sseline.client.ReconnectPolicy;
import io.sseline.core.EventParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The settings of one event source, as {@code EventSource.Builder} validated them.
 */
public record EventSourceConfig(
        URI uri,
        HttpClientPool clients,
        Map<String, List<String>> headers,
        Supplier<? extends Map<String, String>> headerSupplier,
        String method,
        HttpRequest.BodyPublisher body,
        String lastEventId,
        Backoff backoff,
        Duration readTimeout,
        Duration connectTimeout,
        int maxReconnectAttempts,
        Duration maxReconnectTime,
        int maxRedirects,
        Executor callbackExecutor,
        ScheduledExecutorService scheduler,
        ReconnectPolicy reconnectPolicy,
        EventParser.Limits parserLimits) {}
