package io.sseline.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParsersAgreeTest {
    @ParameterizedTest
    @EnumSource(Corpus.class)
    void allThreeParsersReadEveryEventOfTheCorpus(Corpus corpus) {
        Corpus.Stream stream = corpus.generate();

        List<ParsedEvent> sseline = ParserBenchmark.read(ParserDrivers::sseline, stream.bytes());
        List<ParsedEvent> okhttp = ParserBenchmark.read(ParserDrivers::okhttpSse, stream.bytes());
        List<ParsedEvent> launchDarkly = ParserBenchmark.read(ParserDrivers::launchDarkly, stream.bytes());

        assertThat(sseline).hasSize(stream.events().size()).isEqualTo(stream.events());
        assertThat(okhttp).isEqualTo(stream.events());
        assertThat(launchDarkly).isEqualTo(stream.events());
    }

    @ParameterizedTest
    @EnumSource(Corpus.class)
    void corpusHasTheSizeItsBenchmarkReportsAgainst(Corpus corpus) {
        Corpus.Stream stream = corpus.generate();

        int expectedEvents = switch (corpus) {
            case CHAT, CHAT_CRLF -> Corpus.CHAT_EVENTS;
            case TOKENS -> Corpus.TOKEN_EVENTS + 1;
            case BULK -> Corpus.BULK_EVENTS;
        };
        assertThat(stream.events()).hasSize(expectedEvents);
        assertThat(stream.bytes()).isEqualTo(corpus.generate().bytes());
    }

    @Test
    void chatMessagesAverageAbout150BytesOfJson() {
        double averageData = Corpus.chatEvents().stream()
                .mapToInt(e -> e.data().getBytes(UTF_8).length)
                .average()
                .orElseThrow();

        assertThat(averageData).isBetween(130.0, 170.0);
    }

    @Test
    void bulkEventsCarry64KiBOfDataOnManyLines() {
        Corpus.Stream bulk = Corpus.BULK.generate();

        assertThat(bulk.events())
                .allSatisfy(e -> assertThat(e.data().getBytes(UTF_8)).hasSize(Corpus.BULK_DATA_BYTES))
                .allSatisfy(e -> assertThat(e.data().lines().count()).isGreaterThan(500));
    }

    @Test
    void serializingTheChatEventsGivesTheChatCorpus() {
        byte[] serialized = SerializerBenchmark.serializeAll(SerializerBenchmark.toEvents(Corpus.chatEvents()));

        assertThat(serialized).isEqualTo(Corpus.CHAT.generate().bytes());
    }
}
