package io.sseline.examples.chat;

import io.sseline.core.Event;
import io.sseline.core.EventDecodeException;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.hub.EventHub;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat's rooms: who is connected to each, and each room's messages, delivered and replayed by
 * an {@link EventHub} with one channel per room.
 *
 * <pre>{@code
 * ChatRooms rooms = server.rooms();
 * rooms.online("lobby");  // how many distinct users are connected
 * rooms.history("lobby"); // the recent messages a new client receives
 * }</pre>
 *
 * <p><b>Ids and replay.</b> The hub gives each message the id of its place in its log (in memory
 * {@code EPOCH-N}, the epoch chosen at random when the server starts; on Redis {@code
 * EPOCH-MILLIS-SEQUENCE}, shared by every node). A client that reconnects with {@code
 * Last-Event-ID} (or, for a page that had to build a new {@code EventSource}, {@code
 * ?lastEventId=}) receives from the hub exactly the messages of its room that it missed, then live
 * ones. A new client first receives the room's recent history, the last {@link
 * ChatServer.Builder#historySize} messages: the hub rewinds ({@link EventHub.Builder#rewind}) with the
 * same care at the seam between what it read and live messages. So does a client the hub cannot
 * resume (an id from an earlier run of the server, whose history a restart emptied, or one older
 * than the history); each message carries its own {@link ChatMessage#id()}, so a client shows a
 * message it already has once. Presence events carry no id, so they do not move a client's resume
 * position and are never replayed.
 *
 * <p><b>Several nodes.</b> The recent history is read from the log ({@link EventHub#history}), not
 * kept from what this node published, so on a log that several nodes share (a {@code
 * RedisBackplane}) a new client of node B receives the messages posted on node A. Presence is not
 * shared: {@code join}, {@code leave} and the numbers online count the clients of this node only.
 *
 * <p><b>Live rooms.</b> A room is live (an object with its members and presence) while a client of
 * this node is connected to it; the last client to leave frees it, and posting to a room makes it
 * live on no node. Its messages stay in the log. At most {@link ChatServer.Builder#maxRooms} rooms
 * are live at once; a client that asks for another gets {@link RoomLimitException}. So any number of
 * distinct room names costs at most that many rooms, and none once their clients have left.
 *
 * <p><b>Threading.</b> Thread-safe. Each room has a lock under which presence changes ({@link
 * EventStream#send} never blocks, so nothing slow happens under it).
 */
public final class ChatRooms {
    private static final System.Logger LOG = System.getLogger(ChatRooms.class.getName());
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final EventStreams streams;
    private final EventHub hub;
    private final int historySize;
    private final Clock clock;
    private final Duration reconnectDelay;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Live rooms and rooms being made live: never more than maxRooms. */
    private final AtomicInteger liveCount = new AtomicInteger();

    private final int maxRooms;
    private final AtomicLong guests = new AtomicLong();

    /**
     * Rooms on {@code hub}, which {@link #close} closes; the hub rewinds {@code historySize} messages
     * for new clients.
     */
    ChatRooms(EventStreams streams, EventHub hub, int historySize, int maxRooms, Clock clock, Duration reconnectDelay) {
        this.streams = streams;
        this.maxRooms = maxRooms;
        this.historySize = historySize;
        this.clock = clock;
        this.reconnectDelay = reconnectDelay;
        this.hub = hub;
    }

    /**
     * Opens the event stream of {@code GET /sse?room=ROOM&name=NAME}: a {@code retry} and an {@code
     * online} event, the replay, then the room's messages and presence as they happen. A {@code HEAD}
     * request, or one that comes while the server shuts down, is answered by {@link EventStreams#open}
     * alone: it joins no room.
     *
     * @throws InvalidMessageException if the room or name parameter is malformed (nothing was sent)
     * @throws RoomLimitException if the room is not live and {@link ChatServer.Builder#maxRooms} rooms
     *     are (nothing was sent)
     */
    void connect(HttpServletRequest request, HttpServletResponse response)
            throws IOException, InvalidMessageException, RoomLimitException {
        String roomName = MessageRequest.checkRoom("room", parameter(request, "room", MessageRequest.DEFAULT_ROOM));
        String name = parameter(request, "name", "");
        String user = name.isEmpty() ? "" : MessageRequest.checkName("name", name);
        if (request.getMethod().equals("HEAD") || streams.isShutdown()) {
            streams.open(request, response); // answers HEAD with the headers, or 503; opens nothing
            return;
        }
        Room room = acquire(roomName); // before open: beyond the cap the client gets a 4xx, not a stream
        boolean joined = false;
        try {
            EventStream stream = streams.open(request, response);
            if (!stream.isOpen()) {
                return; // shut down meanwhile: answered with 503
            }
            String member = user.isEmpty() ? "guest-" + guests.incrementAndGet() : user;
            String resumeFrom =
                    stream.lastEventId().isEmpty() ? parameter(request, "lastEventId", "") : stream.lastEventId();
            room.join(stream, member);
            joined = true;
            stream.onClose((s, reason) -> {
                room.leave(s, member);
                release(room);
            });
            // No snapshot on a gap: the hub rewinds the room's recent history instead.
            hub.subscribe(stream, List.of(channelOf(roomName)), resumeFrom, (s, id) -> {});
        } finally {
            if (!joined) {
                release(room);
            }
        }
    }

    /**
     * Publishes a message to its room; returns it as every client receives it. A room nobody is
     * connected to is not made live: the message goes to the log, from which the room reads it when a
     * client comes.
     *
     * @throws ChatLogException if the log did not take the message (Redis is unreachable); no client
     *     received it
     */
    ChatMessage post(MessageRequest request) throws ChatLogException {
        Objects.requireNonNull(request, "request");
        ChatMessage message = new ChatMessage(
                request.content(),
                LocalDateTime.now(clock).format(TIMESTAMP),
                request.author(),
                request.room(),
                UUID.randomUUID().toString());
        try {
            await(hub.publish(channelOf(request.room()), message, ChatMessage.CODEC)); // encoded once, here
        } catch (IllegalStateException e) {
            throw new ChatLogException(
                    "the message was not sent, the chat's log did not take it: " + e.getMessage()
                            + "; send it again later",
                    e);
        }
        return message;
    }

    /** How many distinct users are connected to {@code room} now. */
    public int online(String room) {
        Room r = rooms.get(room);
        return r == null ? 0 : r.online();
    }

    /**
     * The messages of {@code room} that a new client receives, oldest first, as the log has them now
     * (on a shared log, including those posted on other nodes).
     *
     * @throws IllegalStateException if the log does not answer
     */
    public List<ChatMessage> history(String room) {
        Objects.requireNonNull(room, "room");
        List<Event> events = await(hub.history(channelOf(room), historySize));
        List<ChatMessage> messages = new ArrayList<>(events.size());
        for (Event event : events) {
            try {
                messages.add(ChatMessage.CODEC.decode(event));
            } catch (EventDecodeException e) {
                // An entry that some other program wrote to the room's channel: not shown, but said.
                LOG.log(System.Logger.Level.WARNING, "skipping an entry of room " + room + ": " + e.getMessage());
            }
        }
        return messages;
    }

    /** How many rooms are live: rooms with a client connected (or connecting) on this node. */
    public int liveRooms() {
        return rooms.size();
    }

    /** Stops the hub; the streams are closed by {@link EventStreams#shutdown}. */
    void close() {
        hub.close();
    }

    private static String channelOf(String room) {
        return "room:" + room;
    }

    /**
     * The live room {@code name}, made live if it is not, with one more user counted: its clients are
     * counted so that the last one to leave frees it.
     *
     * @throws RoomLimitException if the room is not live and {@link #maxRooms} rooms are
     */
    private Room acquire(String name) throws RoomLimitException {
        while (true) {
            Room room = rooms.get(name);
            if (room == null) {
                if (liveCount.incrementAndGet() > maxRooms) {
                    liveCount.decrementAndGet();
                    throw new RoomLimitException(maxRooms);
                }
                Room created = new Room(name);
                room = rooms.putIfAbsent(name, created);
                if (room == null) {
                    room = created;
                } else {
                    liveCount.decrementAndGet(); // another request made it live first
                }
            }
            if (room.retain()) {
                return room;
            }
            // The last user freed it meanwhile; make it live again.
        }
    }

    /** Counts one user of {@code room} less; the last one frees it. The log keeps its messages. */
    private void release(Room room) {
        if (room.releaseLast()) {
            rooms.remove(room.name, room);
            liveCount.decrementAndGet();
        }
    }

    private static String parameter(HttpServletRequest request, String name, String fallback) {
        String value = request.getParameter(name);
        return value == null ? fallback : value;
    }

    private final class Room {
        private final String name;

        // Guarded by this.
        private final Set<EventStream> members = new HashSet<>();
        /** Clients connected or connecting; the room is freed when the last leaves. */
        private int users;

        private boolean freed;
        private final Map<String, Integer> connections = new HashMap<>();

        Room(String name) {
            this.name = name;
        }

        /** Counts one more user; false if the room was freed and must be made live again. */
        synchronized boolean retain() {
            if (freed) {
                return false;
            }
            users++;
            return true;
        }

        /** Counts one user less; true if that was the last, and the room is now freed. */
        synchronized boolean releaseLast() {
            users--;
            freed = users == 0;
            return freed;
        }

        synchronized void join(EventStream stream, String user) {
            int count = connections.merge(user, 1, Integer::sum);
            if (count == 1) {
                sendToAll(presence("join", user));
            }
            stream.send(Event.of(new Presence(user, name, connections.size()), Presence.CODEC)
                    .withType("online")
                    .withRetry(reconnectDelay));
            members.add(stream);
        }

        synchronized void leave(EventStream stream, String user) {
            if (!members.remove(stream)) {
                return;
            }
            int count = connections.merge(user, -1, Integer::sum);
            if (count <= 0) {
                connections.remove(user);
                sendToAll(presence("leave", user));
            }
        }

        synchronized int online() {
            return connections.size();
        }

        private SerializedEvent presence(String type, String user) {
            return SerializedEvent.of(Event.of(new Presence(user, name, connections.size()), Presence.CODEC)
                    .withType(type));
        }

        private void sendToAll(SerializedEvent event) {
            // A copy: a send that finds its client gone closes the stream on this thread, and the
            // close handler (leave, under this same reentrant lock) removes it from the members.
            for (EventStream member : List.copyOf(members)) {
                member.send(event);
            }
        }
    }

    /**
     * Waits for the log: the in-memory one answers at once, Redis within its command timeout.
     *
     * @throws IllegalStateException if the log failed or did not answer
     */
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the chat's log answered", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage() != null ? cause.getMessage() : cause.toString(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the chat's log did not answer within 10 seconds", e);
        }
    }
}
