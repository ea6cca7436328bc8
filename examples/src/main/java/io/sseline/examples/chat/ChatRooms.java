package io.sseline.examples.chat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
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
import java.util.function.UnaryOperator;

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
 * EPOCH-MILLIS-SEQUENCE}, shared by every node). A client that reconnects with
 * {@code Last-Event-ID} (or, for a page that had to build a new {@code EventSource}, {@code
 * ?lastEventId=}) receives from the hub exactly the messages of its room that it missed, then live
 * ones. A new client is treated as one that reconnects from just before the room's recent history,
 * so the hub replays those messages to it with the same care at the seam between replay and live.
 * When the hub cannot resume a client (an id from an earlier run of the server, whose history a
 * restart emptied, or one older than the history), its gap handler sends the room's recent
 * history instead; each message carries its own {@link ChatMessage#id()}, so a client shows a
 * message it already has once. Presence events carry no id, so they do not move a client's resume
 * position and are never replayed.
 *
 * <p><b>Several nodes.</b> The recent history is read from the log, not kept from what this node
 * published: each room remembers how far into the log it has read, and reads on (only its own
 * channel) when a client connects or needs the history. So on a log that several nodes share (a
 * {@code RedisBackplane}), a new client of node B receives the messages posted on node A, and a
 * room that B sees for the first time is read from the start of the log. Presence is not shared:
 * {@code join}, {@code leave} and the numbers online count the clients of this node only.
 *
 * <p><b>Live rooms.</b> A room is live (an object with its members, presence and a copy of its
 * recent history) while a client of this node is connected to it; the last client to leave frees
 * it, and posting to a room makes it live on no node. Its messages stay in the log, and a room made
 * live again reads them from the start of the log. At most {@link ChatServer.Builder#maxRooms} rooms
 * are live at once; a client that asks for another gets {@link RoomLimitException}. So any number of
 * distinct room names costs at most that many rooms, and none once their clients have left.
 *
 * <p><b>Threading.</b> Thread-safe. Each room has a lock under which presence changes ({@link
 * EventStream#send} never blocks, so nothing slow happens under it) and another under which its
 * history is read from the log (which may wait for Redis).
 */
public final class ChatRooms {
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

    private final UnaryOperator<String> roomStart;

    /**
     * Rooms on {@code hub}, which {@link #close} closes. {@code roomStart}
     * maps the log's head to where a room this node has not read yet begins: the head itself for a
     * log that lives in this process (nothing of a new room came before it), the start of the log's
     * epoch for a shared one.
     */
    ChatRooms(
            EventStreams streams,
            EventHub hub,
            UnaryOperator<String> roomStart,
            int historySize,
            int maxRooms,
            Clock clock,
            Duration reconnectDelay) {
        this.streams = streams;
        this.maxRooms = maxRooms;
        this.roomStart = roomStart;
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
            // Read on in the log first: the resume point of a new client, and the history that the gap
            // handler sends, are then current.
            String newClientResumePoint = room.readOn();
            EventStream stream = streams.open(request, response);
            if (!stream.isOpen()) {
                return; // shut down meanwhile: answered with 503
            }
            String member = user.isEmpty() ? "guest-" + guests.incrementAndGet() : user;
            String lastEventId =
                    stream.lastEventId().isEmpty() ? parameter(request, "lastEventId", "") : stream.lastEventId();
            String resumeFrom = lastEventId.isEmpty() ? newClientResumePoint : lastEventId;
            room.join(stream, member);
            joined = true;
            stream.onClose((s, reason) -> {
                room.leave(s, member);
                release(room);
            });
            hub.subscribe(stream, List.of(room.channel), resumeFrom, room::sendRecentHistory);
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
            await(hub.publish(
                    channelOf(request.room()), Event.of(ChatJson.write(message)).withType("message")));
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
     * (on a shared log, including those posted on other nodes); if the log does not answer, as last
     * read.
     */
    public List<ChatMessage> history(String room) {
        Objects.requireNonNull(room, "room");
        Room live = rooms.get(room);
        return (live != null ? live : new Room(room)).history(); // a room nobody is in is read, not kept
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
                // Not in computeIfAbsent: a new room reads the log, which may wait for Redis.
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

    /**
     * Counts one user of {@code room} less; the last one frees it. Its recent history goes with it:
     * the log keeps the messages, and the room reads them again when it is next live.
     */
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

    /** A recent message and the id the hub gave it. */
    private record Recent(String id, ChatMessage message) {}

    private final class Room {
        private final String name;
        private final String channel;

        private final Object historyLock = new Object();
        // Guarded by historyLock.
        private final ArrayDeque<Recent> recent = new ArrayDeque<>();
        /**
         * A copy of {@link #recent} as last read, for the gap handler: it runs on whichever thread
         * completed the hub's read (on Redis, the client's I/O thread), so it must not wait for the
         * log or for a lock held by a thread that does.
         */
        private volatile List<Recent> lastRead = List.of();
        /** The log position just before the oldest recent message: where a new client starts; null until read. */
        private String beforeRecent;
        /** How far into the log {@link #recent} is complete; null until the room is first read. */
        private String readUpTo;

        // Guarded by this.
        private final Set<EventStream> members = new HashSet<>();
        /** Clients connected or connecting; the room is freed when the last leaves. */
        private int users;

        private boolean freed;
        private final Map<String, Integer> connections = new HashMap<>();

        Room(String name) {
            this.name = name;
            this.channel = channelOf(name);
            synchronized (historyLock) {
                try {
                    // Before any message of this room is published through this object.
                    restartAt(roomStart.apply(head()));
                } catch (IllegalStateException e) {
                    logUnreadable(e); // the first read will find the start
                }
            }
        }

        private String head() {
            return await(hub.backplane().readAfter("", Set.of(channel))).head();
        }

        /**
         * Reads the room's messages that were appended to the log since the last read, by any node,
         * and keeps the last {@code historySize}. When the log cannot continue from where this room
         * left off (it lost its data: Redis restarted without persistence), the room reads again
         * from the start of the log as it is now. If even that start was trimmed away (a shared log
         * that other rooms filled while this one was idle on this node), the history starts empty
         * at the head and fills with the messages that follow.
         *
         * @throws IllegalStateException if the log does not answer
         */
        private void readLog() {
            assert Thread.holdsLock(historyLock);
            if (readUpTo == null) {
                restartAt(roomStart.apply(head()));
            }
            BackplaneHistory history = await(hub.backplane().readAfter(readUpTo, Set.of(channel)));
            if (history.isGap()) {
                restartAt(roomStart.apply(history.head()));
                history = await(hub.backplane().readAfter(readUpTo, Set.of(channel)));
                if (history.isGap()) { // trimmed from the start: only what comes next can be had
                    restartAt(history.head());
                    return;
                }
            }
            for (BackplaneEntry entry : history.entries()) {
                ChatMessage message = ChatJson.readMessage(entry.event().data());
                if (message != null) {
                    recent.addLast(new Recent(entry.id(), message));
                }
                while (recent.size() > historySize) {
                    beforeRecent = recent.removeFirst().id();
                }
            }
            readUpTo = history.head();
            lastRead = List.copyOf(recent);
        }

        private void restartAt(String position) {
            recent.clear();
            lastRead = List.of();
            beforeRecent = position;
            readUpTo = position;
        }

        /**
         * Reads on in the log; returns where a new client resumes from: just before the recent
         * history. If the log does not answer, the position known from the last read (the hub's own
         * read then fails too, and closes the stream, so the client reconnects).
         */
        String readOn() {
            synchronized (historyLock) {
                try {
                    readLog();
                } catch (IllegalStateException e) {
                    logUnreadable(e);
                }
                return beforeRecent == null ? "" : beforeRecent;
            }
        }

        /**
         * The hub's gap handler: the client's id cannot be resumed from, so it gets the recent
         * history, as {@link #readOn} read it just before the subscription.
         */
        void sendRecentHistory(EventStream stream, String lastEventId) {
            for (Recent entry : lastRead) {
                stream.send(Event.of(ChatJson.write(entry.message()))
                        .withType("message")
                        .withId(entry.id()));
            }
        }

        /** The recent messages as the log has them now, or as last read if it does not answer. */
        List<Recent> recent() {
            synchronized (historyLock) {
                try {
                    readLog();
                } catch (IllegalStateException e) {
                    logUnreadable(e);
                }
                return List.copyOf(recent);
            }
        }

        private void logUnreadable(IllegalStateException e) {
            System.getLogger(ChatRooms.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "cannot read the history of room " + name + " from the chat's log; using the last read: "
                                    + e.getMessage());
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
            stream.send(Event.of(ChatJson.write(new Presence(user, name, connections.size())))
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

        List<ChatMessage> history() {
            List<Recent> entries = recent();
            List<ChatMessage> messages = new ArrayList<>(entries.size());
            entries.forEach(entry -> messages.add(entry.message()));
            return messages;
        }

        private SerializedEvent presence(String type, String user) {
            return SerializedEvent.of(Event.of(ChatJson.write(new Presence(user, name, connections.size())))
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
