package io.sseline.examples.chat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /sse?room=ROOM&name=NAME}: a room's event stream; see {@link ChatRooms}. */
final class ChatStreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ChatRooms rooms;

    ChatStreamServlet(ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            rooms.connect(request, response);
        } catch (InvalidMessageException e) {
            ChatJson.sendError(response, e);
        }
    }
}
