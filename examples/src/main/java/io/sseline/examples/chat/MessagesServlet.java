package io.sseline.examples.chat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /messages}: checks the JSON body ({@link MessageRequest}) and broadcasts it, answering
 * {@code 202 Accepted} with the message as clients receive it; a body that breaks a rule gets {@code
 * 400} with {@code {"error": …, "field": …}} and nothing is broadcast; a message the chat's log
 * did not take (Redis unreachable) gets {@code 503} ({@link ChatLogException}).
 */
final class MessagesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** How much of an oversized body is read (and dropped) so that the client gets the answer. */
    private static final long MAX_DRAINED_BYTES = 1024 * 1024;

    private final transient ChatRooms rooms;

    MessagesServlet(ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MessageRequest message;
        try {
            message = MessageRequest.parse(readBody(request, response));
        } catch (InvalidMessageException e) {
            ChatJson.sendError(response, e);
            return;
        }
        ChatMessage sent;
        try {
            sent = rooms.post(message);
        } catch (ChatLogException e) {
            ChatJson.sendUnavailable(response, e);
            return;
        }
        ChatJson.sendJson(response, HttpServletResponse.SC_ACCEPTED, ChatJson.write(sent));
    }

    /**
     * Reads the body, up to {@link MessageRequest#MAX_BODY_BYTES}. A larger body is refused, but read
     * to its end first (up to {@link #MAX_DRAINED_BYTES}): a server that answers while the client is
     * still sending, and then closes the connection, may reset it before the client has read the
     * answer, and the client would see a broken connection instead of the {@code 400}. A body larger
     * still is refused at once, and the connection closed.
     */
    private static byte[] readBody(HttpServletRequest request, HttpServletResponse response)
            throws IOException, InvalidMessageException {
        if (request.getContentLengthLong() > MAX_DRAINED_BYTES) {
            response.setHeader("Connection", "close");
            throw MessageRequest.tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            // One byte more than allowed tells an oversized body.
            byte[] body = in.readNBytes(MessageRequest.MAX_BODY_BYTES + 1);
            if (body.length <= MessageRequest.MAX_BODY_BYTES) {
                return body;
            }
            long drained = body.length;
            byte[] buffer = new byte[8192];
            int n;
            while (drained <= MAX_DRAINED_BYTES && (n = in.read(buffer)) >= 0) {
                drained += n;
            }
            if (drained > MAX_DRAINED_BYTES) {
                response.setHeader("Connection", "close");
            }
            throw MessageRequest.tooLarge();
        }
    }
}
