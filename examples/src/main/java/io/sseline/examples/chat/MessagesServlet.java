package io.sseline.examples.chat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /messages}: checks the JSON body ({@link MessageRequest}) and broadcasts it, answering
 * {@code 202 Accepted} with the message as clients receive it; a body that breaks a rule gets {@code
 * 400} with {@code {"error": …, "field": …}} and nothing is broadcast.
 */
final class MessagesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ChatRooms rooms;

    MessagesServlet(ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MessageRequest message;
        try {
            if (request.getContentLengthLong() > MessageRequest.MAX_BODY_BYTES) {
                throw MessageRequest.tooLarge();
            }
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                // One byte more than allowed tells an oversized body without reading all of it.
                body = in.readNBytes(MessageRequest.MAX_BODY_BYTES + 1);
            }
            message = MessageRequest.parse(body);
        } catch (InvalidMessageException e) {
            ChatJson.sendError(response, e);
            return;
        }
        ChatMessage sent = rooms.post(message);
        ChatJson.sendJson(response, HttpServletResponse.SC_ACCEPTED, ChatJson.write(sent));
    }
}
