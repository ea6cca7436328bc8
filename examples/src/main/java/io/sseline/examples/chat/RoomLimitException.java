package io.sseline.examples.chat;

/**
 * A client asked for a room that is not live while the most rooms the server keeps live are: {@code
 * GET /sse} answers {@code 429 Too Many Requests} with {@code Retry-After} and the message as JSON.
 * A room is live while a client is connected to it, so the limit bounds what any number of distinct
 * room names can cost.
 *
 * <p>Immutable.
 */
public final class RoomLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int maxRooms;

    RoomLimitException(int maxRooms) {
        super("the server has " + maxRooms + " rooms open, the most it keeps; join one of them, or try again"
                + " when one has emptied");
        this.maxRooms = maxRooms;
    }

    /** The most rooms the server keeps live: {@link ChatServer.Builder#maxRooms}. */
    public int maxRooms() {
        return maxRooms;
    }
}
