package io.sseline.examples.chat;

import java.io.IOException;

/**
 * The chat's log did not take a message: on Redis, the server is unreachable or did not answer in
 * time. {@code POST /messages} answers {@code 503} with the message as JSON, and no client received
 * the message:
 *
 * <!-- not compiled: JSON, not Java -->
 * <pre>{@code
 * {"error":"the message was not sent, the chat's log did not take it: …; send it again later"}
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ChatLogException extends IOException {
    private static final long serialVersionUID = 1L;

    ChatLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
