package io.sseline.servlet;

import io.sseline.core.EventCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * Stand-ins for the application objects that the documentation examples use ({@code metrics},
 * {@code log}, a chat message and its codec, a model, an assistant), so that the examples compile as written and the tests can see what they did.
 */
public final class ExampleObjects {
    private ExampleObjects() {}

    /** Counters by name. */
    public static final class Metrics {
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        public Metrics() {}

        public void increment(String name) {
            counts.merge(name, 1, Integer::sum);
        }

        public int count(String name) {
            return counts.getOrDefault(name, 0);
        }
    }

    /** A logger that keeps its lines. */
    public static final class Log {
        public final List<String> lines = new CopyOnWriteArrayList<>();

        public Log() {}

        public void info(String line) {
            lines.add(line);
        }

        public void fine(String line) {
            lines.add(line);
        }
    }

    /** A value that applications publish; {@link #CODEC} writes it as {@code author<TAB>text}. */
    public record ChatMessage(String author, String text) {
        public static final EventCodec<ChatMessage> CODEC =
                EventCodec.of(ChatMessage.class, m -> m.author() + "\t" + m.text(), data -> {
                    String[] parts = data.split("\t", 2);
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("no tab between author and text");
                    }
                    return new ChatMessage(parts[0], parts[1]);
                });
    }

    /** A language model that generates tokens. */
    public static final class Model {
        public Model() {}

        public List<String> generate(String prompt) {
            return List.of("Hi", " there", "!");
        }
    }

    /** An assistant whose replies come as a publisher, as a reactive client library returns them. */
    public static final class Assistant {
        public Assistant() {}

        public Flow.Publisher<ChatMessage> reply(String question) {
            return JdkFlowAdapter.publisherToFlowPublisher(
                    Flux.just(new ChatMessage("bot", "You asked: " + question), new ChatMessage("bot", "Yes.")));
        }
    }
}
