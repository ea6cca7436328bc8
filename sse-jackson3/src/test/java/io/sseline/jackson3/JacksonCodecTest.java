package io.sseline.jackson3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import io.sseline.core.EventParser;
import io.sseline.core.EventSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values through Jackson 3 and through the wire: records, generic types, polymorphic types, and
 * failures; the same cases as sse-jackson's test for Jackson 2.
 */
class JacksonCodecTest {
    /**
     * Jackson 3 ignores unknown properties by default, where Jackson 2 fails on them; the codec does
     * what the mapper says, and this one fails on them as an application that wants them refused.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record ChatMessage(String author, String text) {}

    record Page<T>(int number, List<T> items) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Circle.class, name = "circle"),
        @JsonSubTypes.Type(value = Square.class, name = "square")
    })
    sealed interface Shape permits Circle, Square {}

    record Circle(double radius) implements Shape {}

    record Square(double side) implements Shape {}

    record Profile(String displayName) {}

    @Test
    void aRecordTravelsAsOneLineOfJsonDataAndComesBackEqual() throws Exception {
        JacksonCodec<ChatMessage> codec = JacksonCodec.of(MAPPER, ChatMessage.class);
        ChatMessage message = new ChatMessage("ada", "Hello!\nSecond line, ☃ and 😀, \"quoted\"");

        byte[] wire = EventSerializer.serialize(Event.of(message, codec).withType("chat"));

        assertThat(new String(wire, UTF_8))
                .isEqualTo("event: chat\ndata: {\"author\":\"ada\",\"text\":\"Hello!\\nSecond line, ☃ and 😀,"
                        + " \\\"quoted\\\"\"}\n\n");
        assertThat(codec.decode(parse(wire))).isEqualTo(message);
    }

    @Test
    void aGenericTypeKeepsItsElementTypeBothWays() throws Exception {
        JacksonCodec<List<ChatMessage>> list = JacksonCodec.of(MAPPER, new TypeReference<>() {});
        JacksonCodec<Page<ChatMessage>> page = JacksonCodec.of(MAPPER, new TypeReference<>() {});
        JacksonCodec<Map<String, List<Integer>>> scores = JacksonCodec.of(MAPPER, new TypeReference<>() {});
        List<ChatMessage> messages = List.of(new ChatMessage("ada", "a"), new ChatMessage("bob", "b"));

        List<ChatMessage> decoded = list.decode(parse(EventSerializer.serialize(Event.of(messages, list))));
        Page<ChatMessage> decodedPage = page.decode(Event.of(new Page<>(2, messages), page));

        assertThat(decoded)
                .containsExactlyElementsOf(messages)
                .allSatisfy(m -> assertThat(m).isInstanceOf(ChatMessage.class));
        assertThat(decodedPage.items()).containsExactlyElementsOf(messages);
        assertThat(decodedPage.items().get(0)).isInstanceOf(ChatMessage.class);
        assertThat(scores.decode(Event.of(Map.of("ada", List.of(3, 5)), scores)))
                .isEqualTo(Map.of("ada", List.of(3, 5)));
        assertThat(list.type().getTypeName())
                .isEqualTo("java.util.List<io.sseline.jackson3.JacksonCodecTest$ChatMessage>");
        assertThat(list).hasToString("JacksonCodec{java.util.List<io.sseline.jackson3.JacksonCodecTest$ChatMessage>}");
    }

    @Test
    void aPolymorphicTypeCarriesItsTypeIdAlsoAsListElements() throws Exception {
        JacksonCodec<Shape> shape = JacksonCodec.of(MAPPER, Shape.class);
        JacksonCodec<List<Shape>> shapes = JacksonCodec.of(MAPPER, new TypeReference<>() {});
        List<Shape> drawing = List.of(new Circle(1.5), new Square(2));

        Event one = Event.of(new Square(3), shape);
        Event many = Event.of(drawing, shapes);

        assertThat(one.data()).isEqualTo("{\"kind\":\"square\",\"side\":3.0}");
        assertThat(many.data()).isEqualTo("[{\"kind\":\"circle\",\"radius\":1.5},{\"kind\":\"square\",\"side\":2.0}]");
        assertThat(shape.decode(one)).isEqualTo(new Square(3));
        assertThat(shapes.decode(parse(EventSerializer.serialize(many)))).containsExactlyElementsOf(drawing);
    }

    @Test
    void anUnknownSubtypeIsADecodeFailureNamingTheBaseType() {
        JacksonCodec<Shape> shape = JacksonCodec.of(MAPPER, Shape.class);

        EventDecodeException e = catchThrowableOfType(
                EventDecodeException.class, () -> shape.decode(Event.of("{\"kind\":\"triangle\",\"side\":1}")));

        assertThat(e.getMessage())
                .startsWith("cannot decode a \"message\" event as io.sseline.jackson3.JacksonCodecTest$Shape:"
                        + " Could not resolve type id 'triangle'")
                .endsWith("; data \"{\\\"kind\\\":\\\"triangle\\\",\\\"side\\\":1}\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "{\"author\":\"ada\",\"txt\":\"unknown field\"}",
                "{\"author\":\"ada\",\"text\":{}}",
                "{\"author\":\"ada\",\"text\":\"b\"} trailing",
                "{\"author\":\"ada\",\"text\":\"b\"}{\"author\":\"bob\",\"text\":\"c\"}",
                "null",
                "",
                "[{\"author\":\"ada\",\"text\":\"b\"}]"
            })
    void dataThatIsNotOneChatMessageIsADecodeFailureWithTheRawEvent(String data) {
        JacksonCodec<ChatMessage> codec = JacksonCodec.of(MAPPER, ChatMessage.class);
        Event raw = Event.of(data).withType("chat").withId("9");

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class, () -> codec.decode(raw));

        assertThat(e.event()).isSameAs(raw);
        assertThat(e.targetType()).isEqualTo(ChatMessage.class);
        assertThat(e.getMessage())
                .startsWith(
                        "cannot decode a \"chat\" event (id \"9\") as io.sseline.jackson3.JacksonCodecTest$ChatMessage: ")
                .doesNotContain("\n")
                .endsWith(" data \"" + data.replace("\"", "\\\"") + "\"");
        assertThat(e.getCause()).isInstanceOf(JacksonException.class);
    }

    @Test
    void theMessageSaysWhatIsWrongInJacksonsWords() {
        JacksonCodec<ChatMessage> codec = JacksonCodec.of(MAPPER, ChatMessage.class);

        assertThatThrownBy(() -> codec.decode(Event.of("{\"author\":\"ada\",\"txt\":\"hi\"}")))
                .hasMessageContaining(": Unrecognized property \"txt\"");
        assertThatThrownBy(() -> codec.decode(Event.of("null")))
                .hasMessageContaining(
                        ": the data is JSON null, not a io.sseline.jackson3.JacksonCodecTest$ChatMessage;");
    }

    /** A value whose accessor throws, which no mapper can write. */
    record Exploding(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("no value today");
        }
    }

    @Test
    void aValueTheMapperCannotWriteIsRefusedNamingItsClass() {
        JacksonCodec<Exploding> exploding = JacksonCodec.of(MAPPER, Exploding.class);

        assertThatThrownBy(() -> Event.of(new Exploding("x"), exploding))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode a io.sseline.jackson3.JacksonCodecTest$Exploding as JSON: ")
                .hasMessageContaining("no value today")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void unknownPropertiesAreTheMappersChoice() throws Exception {
        JacksonCodec<ChatMessage> lenient = JacksonCodec.of(JsonMapper.builder().build(), ChatMessage.class);

        assertThat(lenient.decode(Event.of("{\"author\":\"ada\",\"text\":\"hi\",\"extra\":1}")))
                .isEqualTo(new ChatMessage("ada", "hi"));
    }

    @Test
    void theApplicationsMapperDecidesTheJson() throws Exception {
        ObjectMapper snakeCase = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
        JacksonCodec<Profile> codec = JacksonCodec.of(snakeCase, Profile.class);

        Event event = Event.of(new Profile("Ada L."), codec);

        assertThat(event.data()).isEqualTo("{\"display_name\":\"Ada L.\"}");
        assertThat(codec.decode(event)).isEqualTo(new Profile("Ada L."));
    }

    @Test
    void prettyPrintedJsonTravelsAsSeveralDataLinesAndComesBackEqual() throws Exception {
        ObjectMapper pretty =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        JacksonCodec<Page<ChatMessage>> codec = JacksonCodec.of(pretty, new TypeReference<>() {});
        Page<ChatMessage> page = new Page<>(1, List.of(new ChatMessage("ada", "a")));

        byte[] wire = EventSerializer.serialize(Event.of(page, codec));

        assertThat(new String(wire, UTF_8).lines().filter(l -> l.startsWith("data: ")))
                .hasSizeGreaterThan(3);
        assertThat(codec.decode(parse(wire))).isEqualTo(page);
    }

    @Test
    void oneCodecServesManyThreadsAtOnce() throws Exception {
        JacksonCodec<List<Shape>> codec = JacksonCodec.of(MAPPER, new TypeReference<>() {});
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(threads.submit(() -> {
                    int roundTrips = 0;
                    for (int i = 0; i < 2_000; i++) {
                        List<Shape> shapes = List.of(new Circle(seed), new Square(i));
                        if (codec.decode(Event.of(shapes, codec)).equals(shapes)) {
                            roundTrips++;
                        }
                    }
                    return roundTrips;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(2_000);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void factoriesCheckTheirArguments() {
        assertThatThrownBy(() -> JacksonCodec.of(null, ChatMessage.class)).hasMessage("mapper");
        assertThatThrownBy(() -> JacksonCodec.of(MAPPER, (Class<ChatMessage>) null))
                .hasMessage("type");
        assertThatThrownBy(() -> JacksonCodec.of(MAPPER, (TypeReference<ChatMessage>) null))
                .hasMessage("type");
        EventCodec<ChatMessage> codec = JacksonCodec.of(MAPPER, ChatMessage.class);
        assertThatThrownBy(() -> codec.encode(null)).hasMessage("value");
        assertThatThrownBy(() -> codec.decode((String) null)).hasMessage("data");
    }

    /** The examples of JacksonCodec's Javadoc and of the README, as written there. */
    @Test
    void theDocumentationsExamples() throws Exception {
        ObjectMapper mapper = JsonMapper.builder().build(); // or the application's
        JacksonCodec<ChatMessage> chat = JacksonCodec.of(mapper, ChatMessage.class);
        JacksonCodec<List<ChatMessage>> page = JacksonCodec.of(mapper, new TypeReference<List<ChatMessage>>() {});
        Event event = Event.of(new ChatMessage("ada", "Hello!"), chat).withType("chat");
        JacksonCodec<Map<String, List<Integer>>> scores = JacksonCodec.of(mapper, new TypeReference<>() {});

        assertThat(event.data()).isEqualTo("{\"author\":\"ada\",\"text\":\"Hello!\"}");
        assertThat(page.decode(Event.of(List.of(chat.decode(event)), page)))
                .containsExactly(new ChatMessage("ada", "Hello!"));
        assertThat(scores.type().getTypeName())
                .isEqualTo("java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>");
    }

    /** The one event that {@code wire} holds, as a client parses it. */
    static Event parse(byte[] wire) throws Exception {
        List<Event> events = new ArrayList<>();
        EventParser parser = EventParser.create(events::add);
        parser.feed(wire);
        parser.end();
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
