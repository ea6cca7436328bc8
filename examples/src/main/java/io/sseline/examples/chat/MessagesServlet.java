package io.sseline.examples.chat;

import io.sseline.examples.web.JsonAnswer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /messages}: checks the JSON body ({@link MessageRequest}) and broadcasts it, answering
 * {@code 202 Accepted} with the message as clients receive it; a body that breaks a rule gets {@code
 * 400} with {@code {"error": …, "field": …}} and nothing is broadcast; a message the chat's log
 * did not take (Redis unreachable) gets {@code 503} ({@link ChatLogException}).
 *
 * <p>The body must be {@code Content-Type: application/json}, or the answer is {@code 415} once the
 * body is read: a form
 * or {@code text/plain} POST, which any web page can make a browser send cross-site without asking,
 * cannot post.
 *
 * <p><b>Slow bodies.</b> The body is read with non-blocking I/O ({@link ReadListener}): a client
 * that sends it a byte at a time holds no thread, only its connection. The whole body must arrive
 * within {@link ChatServer.Builder#bodyReadTimeout}, or the answer is {@code 408} and the connection
 * is closed; a trickle of bytes does not extend it.
 */
final class MessagesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** How much of an oversized body is read (and dropped) so that the client gets the answer. */
    private static final long MAX_DRAINED_BYTES = 1024 * 1024;

    private final transient ChatRooms rooms;
    private final Duration readTimeout;

    MessagesServlet(ChatRooms rooms, Duration readTimeout) {
        this.rooms = rooms;
        this.readTimeout = readTimeout;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_DRAINED_BYTES) {
            // Refused at once, without reading: too large to drain.
            response.setHeader("Connection", "close");
            ChatJson.sendError(response, MessageRequest.tooLarge());
            return;
        }
        // A body of another type is refused too, but read first, as an oversized one is (see BodyReader).
        boolean json = isJson(request.getContentType());
        String contentType = request.getContentType();
        AsyncContext async = request.startAsync();
        async.setTimeout(readTimeout.toMillis());
        BodyReader reader = new BodyReader(
                async,
                request.getInputStream(),
                response,
                json
                        ? null
                        : () -> {
                            response.setHeader("Accept-Post", "application/json");
                            ChatJson.sendError(
                                    response,
                                    HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                                    new InvalidMessageException(
                                            "",
                                            "the body must be JSON, sent with Content-Type: application/json; got "
                                                    + (contentType == null ? "none" : contentType)));
                        });
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    /** Whether {@code contentType} is {@code application/json}, with or without parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /**
     * Reads the body as it arrives, on whichever container thread has data, up to {@link
     * MessageRequest#MAX_BODY_BYTES}. A larger body is refused, but read to its end first (up to
     * {@link #MAX_DRAINED_BYTES}): a server that answers while the client is still sending, and then
     * closes the connection, may reset it before the client has read the answer, and the client
     * would see a broken connection instead of the {@code 400}.
     */
    private final class BodyReader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final HttpServletResponse response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        /** Set by whoever answers first: the end of the body, an error or the deadline. */
        private final AtomicBoolean answered = new AtomicBoolean();
        // Touched by the container's read callbacks, which run one at a time.
        private long received;

        /** The answer once the body is read, instead of parsing it; null to parse it. */
        private final Answer refusal;

        BodyReader(AsyncContext async, ServletInputStream in, HttpServletResponse response, Answer refusal) {
            this.refusal = refusal;
            this.async = async;
            this.in = in;
            this.response = response;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && !in.isFinished()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                int keep = (int) Math.max(0, Math.min(n, MessageRequest.MAX_BODY_BYTES + 1L - received));
                body.write(buffer, 0, keep);
                received += n;
                if (received > MAX_DRAINED_BYTES) {
                    answer(() -> {
                        response.setHeader("Connection", "close");
                        ChatJson.sendError(response, MessageRequest.tooLarge());
                    });
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (refusal != null) {
                answer(refusal);
                return;
            }
            answer(() -> {
                if (received > MessageRequest.MAX_BODY_BYTES) {
                    ChatJson.sendError(response, MessageRequest.tooLarge());
                    return;
                }
                MessageRequest message;
                try {
                    message = MessageRequest.parse(body.toByteArray());
                } catch (InvalidMessageException e) {
                    ChatJson.sendError(response, e);
                    return;
                }
                try {
                    JsonAnswer.send(
                            response, HttpServletResponse.SC_ACCEPTED, ChatMessage.CODEC.encode(rooms.post(message)));
                } catch (ChatLogException e) {
                    ChatJson.sendUnavailable(response, e);
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            answer(() -> {}); // the client went away (or broke the body): nobody to answer
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            answer(() -> {
                response.setHeader("Connection", "close");
                ChatJson.sendError(
                        response,
                        HttpServletResponse.SC_REQUEST_TIMEOUT,
                        new InvalidMessageException(
                                "",
                                "the body did not arrive within " + readTimeout.toSeconds() + " s; send it at once"));
            });
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}

        /** Answers once, then completes the request. */
        private void answer(Answer answer) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            try {
                if (!response.isCommitted()) {
                    answer.write();
                }
            } catch (IOException e) {
                // The client is gone; the container cleans up when the request completes.
            } catch (RuntimeException e) {
                System.getLogger(MessagesServlet.class.getName())
                        .log(System.Logger.Level.ERROR, "POST /messages failed", e);
                if (!response.isCommitted()) {
                    response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                }
            } finally {
                async.complete();
            }
        }
    }

    @FunctionalInterface
    private interface Answer {
        void write() throws IOException;
    }
}
