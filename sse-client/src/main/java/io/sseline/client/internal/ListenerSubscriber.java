package io.sseline.client.internal;

import io.sseline.core.EventParser;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a response body to a parser that calls an {@link EventParser.Listener} on the thread that
 * delivers the bytes. The next chunk is requested only after the listener has seen the previous one,
 * so a slow listener slows the socket.
 */
public final class ListenerSubscriber implements HttpResponse.BodySubscriber<Void> {
    private final EventParser parser;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    /** @param parser a new parser, for this response alone */
    public ListenerSubscriber(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        if (body.isDone()) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        Flow.Subscription subscription = Objects.requireNonNull(this.subscription, "onNext before onSubscribe");
        if (body.isDone()) {
            return;
        }
        try {
            for (ByteBuffer buffer : buffers) {
                parser.feed(buffer);
            }
        } catch (Throwable e) { // the limit exception, or whatever the listener threw
            body.completeExceptionally(e);
            subscription.cancel();
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        if (!body.isDone()) {
            parser.end();
            body.complete(null);
        }
    }
}
