package io.sseline.examples.chat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat's rooms: who is connected to each, and each room's recent messages.
 *
 * <pre>{@code
 * ChatRooms rooms = server.rooms();
 * rooms.post(new MessageRequest("Hello!", "ada", "lobby"));
 * rooms.online("lobby"); // how many distinct users are connected
 * }</pre>
 *
 * <p><b>Ids and replay.</b> Each message event gets the id {@code EPOCH-N}: {@code N} counts the
 * room's messages, {@code EPOCH} is chosen at random when the server starts. A client that
 * reconnects with {@code Last-Event-ID: EPOCH-N} (or, for a page that had to build a new {@code
 * EventSource}, {@code ?lastEventId=EPOCH-N}) receives the messages after {@code N} that the history
 * still holds. A client with no id, an id older than the history, or an id of an earlier run of the
 * server (a restart emptied the history) receives the whole recent history; each message carries its
 * own {@link ChatMessage#id()}, so a client shows a message it already has once. Presence events
 * carry no id, so they do not move a client's resume position and are never replayed.
 *
 * <p><b>Threading.</b> Thread-safe. Each room has a lock under which a message is numbered, stored
 * and handed to every member's stream, and under which a new member is sent its replay and added:
 * so every member receives every message once and in order. {@link EventStream#send} never
 * blocks, so nothing slow happens under the lock.
 */
public final class ChatRooms {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final EventStreams streams;
    private final int historySize;
    private final Clock clock;
    private final Duration reconnectDelay;
    private final String epoch;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicLong guests = new AtomicLong();

    ChatRooms(EventStreams streams, int historySize, Clock clock, Duration reconnectDelay) {
        this.streams = streams;
        this.historySize = historySize;
        this.clock = clock;
        this.reconnectDelay = reconnectDelay;
        this.epoch = Long.toString(new SecureRandom().nextLong() >>> 1, 36);
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
        String queryId = parameter(request, "lastEventId", "");
        Room room = room(roomName);
        EventStream stream = streams.open(request, response);
        String lastEventId = stream.lastEventId().isEmpty() ? queryId : stream.lastEventId();
        room.join(stream, user, lastEventId);
        stream.onClose((s, reason) -> room.leave(s, user));
    }

    /** Numbers, stores and broadcasts a message; returns it as every client receives it. */
    ChatMessage post(MessageRequest request) {
        Objects.requireNonNull(request, "request");
        ChatMessage message = new ChatMessage(
                request.content(),
                LocalDateTime.now(clock).format(TIMESTAMP),
                request.author(),
                request.room(),
                UUID.randomUUID().toString());
        room(request.room()).broadcast(message);
        return message;
    }

    /** How many distinct users are connected to {@code room} now. */
    public int online(String room) {
        Room r = rooms.get(room);
        return r == null ? 0 : r.online();
    }

    /** The messages of {@code room} that a new client would receive, oldest first. */
    public List<ChatMessage> history(String room) {
        Room r = rooms.get(room);
        return r == null ? List.of() : r.history();
    }

    private Room room(String name) {
        return rooms.computeIfAbsent(name, Room::new);
    }

    private static String parameter(HttpServletRequest request, String name, String fallback) {
        String value = request.getParameter(name);
        return value == null ? fallback : value;
    }

    /** A stored message: its number in the room and its bytes, serialized once for every member. */
    private record Entry(long number, ChatMessage message, SerializedEvent event) {}

    private final class Room {
        private final String name;

        // Guarded by this.
        private final ArrayDeque<Entry> history = new ArrayDeque<>();
        private final Set<EventStream> members = new HashSet<>();
        private final Map<String, Integer> connections = new HashMap<>();
        private long lastNumber;

        Room(String name) {
            this.name = name;
        }

        synchronized void broadcast(ChatMessage message) {
            long number = ++lastNumber;
            Event event = Event.of(ChatJson.write(message)).withType("message").withId(epoch + "-" + number);
            Entry entry = new Entry(number, message, SerializedEvent.of(event));
            history.addLast(entry);
            while (history.size() > historySize) {
                history.removeFirst();
            }
            for (EventStream member : members) {
                member.send(entry.event());
            }
        }

        synchronized void join(EventStream stream, String user, String lastEventId) {
            int count = connections.merge(user, 1, Integer::sum);
            if (count == 1) {
                sendToAll(presence("join", user));
            }
            stream.send(Event.of(ChatJson.write(new Presence(user, name, connections.size())))
                    .withType("online")
                    .withRetry(reconnectDelay));
            long after = resumeAfter(lastEventId);
            for (Entry entry : history) {
                if (entry.number() > after) {
                    stream.send(entry.event());
                }
            }
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
            List<ChatMessage> messages = new ArrayList<>(history.size());
            history.forEach(entry -> messages.add(entry.message()));
            return messages;
        }

        /** The number after which to replay: all of the history unless the id is ours and still in it. */
        private long resumeAfter(String lastEventId) {
            String prefix = epoch + "-";
            if (!lastEventId.startsWith(prefix)) {
                return 0;
            }
            long number;
            try {
                number = Long.parseLong(lastEventId.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return 0;
            }
            long oldest =
                    history.isEmpty() ? lastNumber + 1 : history.peekFirst().number();
            // The client must have seen the message before the oldest one we keep, or it missed some.
            return number >= oldest - 1 && number <= lastNumber ? number : 0;
        }

        private SerializedEvent presence(String type, String user) {
            return SerializedEvent.of(Event.of(ChatJson.write(new Presence(user, name, connections.size())))
                    .withType(type));
        }

        private void sendToAll(SerializedEvent event) {
            for (EventStream member : members) {
                member.send(event);
            }
        }
    }
}
