package io.sseline.examples.chat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /sse?room=ROOM&name=NAME}: a room's event stream; see {@link ChatRooms}. {@code HEAD}
 * gets the headers of the stream and nothing else; a malformed parameter {@code 400}; a new room
 * beyond the limit {@code 429}.
 */
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
        } catch (RoomLimitException e) {
            response.setHeader("Retry-After", "10");
            ChatJson.sendError(response, 429, new InvalidMessageException("room", e.getMessage()));
        }
    }

    /** The headers a stream gets, without one: {@link ChatRooms#connect} leaves HEAD to the library. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
