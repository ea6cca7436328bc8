package io.sseline.client.internal;

import io.sseline.client.UnexpectedResponseException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/** What a response header says about an event stream. */
public final class Responses {
    private Responses() {}

    /**
     * Whether the response is {@code 200} with a {@code text/event-stream} media type and no content
     * coding but {@code identity}: a stream the parser can read as it is.
     */
    public static boolean isEventStream(HttpResponse.ResponseInfo info) {
        return info.statusCode() == 200
                && hasEventStreamType(info)
                && contentCoding(info.headers()).isEmpty();
    }

    /**
     * The content codings a response applied ({@code Content-Encoding}), as the server wrote them, or
     * {@code ""} when it applied none: no header, or only {@code identity}. Neither this library nor
     * {@code HttpClient} decodes any, so a response with one cannot be parsed.
     */
    public static String contentCoding(HttpHeaders headers) {
        List<String> values = headers.allValues("Content-Encoding");
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                String name = coding.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    return String.join(", ", values).trim();
                }
            }
        }
        return "";
    }

    /** Whether the media type, without parameters, is {@code text/event-stream}, in any case. */
    public static boolean hasEventStreamType(HttpResponse.ResponseInfo info) {
        String type = info.headers().firstValue("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return mediaType.toLowerCase(Locale.ROOT).equals("text/event-stream");
    }

    /**
     * The delay a {@code Retry-After} header asks for: delta-seconds or an HTTP date, relative to
     * {@code now}. Empty when absent or unreadable; never negative.
     */
    public static Optional<Duration> retryAfter(HttpResponse.ResponseInfo info, ZonedDateTime now) {
        Optional<String> header = info.headers().firstValue("Retry-After").map(String::trim);
        if (header.isEmpty() || header.get().isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration delay = Duration.between(now, date);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * A body subscriber for a response that is not an event stream: it reads up to {@code maxBytes} of
     * the body (an API's error message), cancels the rest, and fails with {@link
     * UnexpectedResponseException} carrying what it read.
     */
    public static <T> HttpResponse.BodySubscriber<T> failingWithBody(HttpResponse.ResponseInfo info, int maxBytes) {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<T> body = new CompletableFuture<>();
            private final ByteArrayOutputStream read = new ByteArrayOutputStream();
            private Flow.@Nullable Subscription subscription;

            @Override
            public CompletionStage<T> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                for (ByteBuffer buffer : buffers) {
                    int n = Math.min(buffer.remaining(), maxBytes - read.size());
                    byte[] bytes = new byte[n];
                    buffer.get(bytes);
                    read.write(bytes, 0, n);
                }
                Flow.Subscription s = Objects.requireNonNull(subscription, "onNext before onSubscribe");
                if (read.size() >= maxBytes) {
                    s.cancel();
                    finish();
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                finish();
            }

            @Override
            public void onComplete() {
                finish();
            }

            private void finish() {
                String text = new String(read.toByteArray(), StandardCharsets.UTF_8);
                body.completeExceptionally(
                        new UnexpectedResponseException(URI.create(""), info.statusCode(), info.headers(), text));
            }
        };
    }

    /**
     * A body subscriber for a response that is not read: it cancels the body at once, so that the
     * connection is released, and completes with {@code error}.
     */
    public static <T> HttpResponse.BodySubscriber<T> failing(Throwable error) {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<T> body = CompletableFuture.failedFuture(error);

            @Override
            public CompletionStage<T> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        };
    }
}
