package io.sseline.examples.chat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.InMemoryBackplane;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * <p><b>Ids and replay.</b> The hub gives each message the id of its place in its log ({@code
 * EPOCH-N}, the epoch chosen at random when the server starts). A client that reconnects with
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
 * <p><b>Threading.</b> Thread-safe. Each room has a lock under which its messages are published
 * (the in-memory log numbers them at once, so the room's record of recent ids stays in log order)
 * and under which presence changes; {@link EventStream#send} never blocks, so nothing slow happens
 * under it.
 */
public final class ChatRooms {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventStreams streams;
    private final EventHub hub;
    private final int historySize;
    private final Clock clock;
    private final Duration reconnectDelay;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicLong guests = new AtomicLong();

    ChatRooms(EventStreams streams, int historySize, Clock clock, Duration reconnectDelay) {
        this.streams = streams;
        this.historySize = historySize;
        this.clock = clock;
        this.reconnectDelay = reconnectDelay;
        // One log for all rooms; it keeps enough for many rooms' recent history and reconnections.
        this.hub = EventHub.builder()
                .backplane(InMemoryBackplane.builder()
                        .maxEntries(Math.max(10_000, historySize * 100))
                        .build())
                .build();
    }

    /**
     * Opens the event stream of {@code GET /sse?room=ROOM&name=NAME}: a {@code retry} and an {@code
     * online} event, the replay, then the room's messages and presence as they happen.
     *
     * @throws InvalidMessageException if the room or name parameter is malformed (nothing was sent)
     */
    void connect(HttpServletRequest request, HttpServletResponse response) throws IOException, InvalidMessageException {
        String roomName = MessageRequest.checkRoom("room", parameter(request, "room", MessageRequest.DEFAULT_ROOM));
        String name = parameter(request, "name", "");
        String user = name.isEmpty() ? "guest-" + guests.incrementAndGet() : MessageRequest.checkName("name", name);
        Room room = room(roomName);
        String header = request.getHeader(LAST_EVENT_ID);
        String lastEventId = header != null && !header.isEmpty() ? header : parameter(request, "lastEventId", "");
        String resumeFrom = lastEventId.isEmpty() ? room.newClientResumePoint() : lastEventId;
        EventStream stream = streams.open(request, response);
        room.join(stream, user);
        stream.onClose((s, reason) -> room.leave(s, user));
        hub.subscribe(stream, List.of(room.channel), resumeFrom, room::sendRecentHistory);
    }

    /** Publishes a message to its room; returns it as every client receives it. */
    ChatMessage post(MessageRequest request) {
        Objects.requireNonNull(request, "request");
        ChatMessage message = new ChatMessage(
                request.content(),
                LocalDateTime.now(clock).format(TIMESTAMP),
                request.author(),
                request.room(),
                UUID.randomUUID().toString());
        room(request.room()).publish(message);
        return message;
    }

    /** How many distinct users are connected to {@code room} now. */
    public int online(String room) {
        Room r = rooms.get(room);
        return r == null ? 0 : r.online();
    }

    /** The messages of {@code room} that a new client receives, oldest first. */
    public List<ChatMessage> history(String room) {
        Room r = rooms.get(room);
        return r == null ? List.of() : r.history();
    }

    /** Stops the hub; the streams are closed by {@link EventStreams#shutdown}. */
    void close() {
        hub.close();
    }

    private Room room(String name) {
        return rooms.computeIfAbsent(name, Room::new);
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

        // Guarded by this.
        private final ArrayDeque<Recent> recent = new ArrayDeque<>();
        /** The id of the log position just before the oldest recent message: where a new client starts. */
        private String beforeRecent;

        private final Set<EventStream> members = new HashSet<>();
        private final Map<String, Integer> connections = new HashMap<>();

        Room(String name) {
            this.name = name;
            this.channel = "room:" + name;
            // The log's head now comes before every message of this new room.
            this.beforeRecent =
                    await(hub.backplane().readAfter("", Set.of(channel))).head();
        }

        synchronized void publish(ChatMessage message) {
            String id =
                    await(hub.publish(channel, Event.of(ChatJson.write(message)).withType("message")));
            recent.addLast(new Recent(id, message));
            while (recent.size() > historySize) {
                beforeRecent = recent.removeFirst().id();
            }
        }

        synchronized String newClientResumePoint() {
            return beforeRecent;
        }

        /** The hub's gap handler: the client's id cannot be resumed from, so it gets the recent history. */
        void sendRecentHistory(EventStream stream, String lastEventId) {
            List<Recent> messages;
            synchronized (this) {
                messages = List.copyOf(recent);
            }
            for (Recent entry : messages) {
                stream.send(Event.of(ChatJson.write(entry.message()))
                        .withType("message")
                        .withId(entry.id()));
            }
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

        synchronized List<ChatMessage> history() {
            List<ChatMessage> messages = new ArrayList<>(recent.size());
            recent.forEach(entry -> messages.add(entry.message()));
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

    /** Waits for the in-memory log, which answers at once; a failure is a bug, not a client's fault. */
    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the chat's log answered", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the chat's log failed: " + e, e);
        }
    }
}
