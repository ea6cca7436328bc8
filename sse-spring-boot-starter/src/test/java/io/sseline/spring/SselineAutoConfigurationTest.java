package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SlowConsumerHandler;
import io.sseline.servlet.SlowConsumerPolicy;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.spring.internal.EventHubHealthIndicator;
import io.sseline.spring.internal.EventStreamsLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;

/**
 * What the auto-configuration makes from which properties and beans, in contexts without a server:
 * defaults equal to the library's, every {@code sseline.*} property reaching its option, values
 * out of range refused with the property's name, beans of the application's own winning, the
 * codecs on Boot's mapper, and the health indicator.
 */
class SselineAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SselineAutoConfiguration.class, JacksonAutoConfiguration.class));

    record Price(String symbol, long lastCents) {}

    @Test
    void withoutPropertiesTheStreamsHaveTheLibraryDefaults() {
        runner.run(context -> {
            EventStreamConfig config = context.getBean(EventStreams.class).config();
            EventStreamConfig defaults = EventStreamConfig.defaults();
            assertThat(config.heartbeatInterval()).isEqualTo(defaults.heartbeatInterval());
            assertThat(config.maxQueuedBytes()).isEqualTo(defaults.maxQueuedBytes());
            assertThat(config.slowConsumerPolicy()).isEqualTo(defaults.slowConsumerPolicy());
            assertThat(config.closeTimeout()).isEqualTo(defaults.closeTimeout());
            assertThat(config.asyncTimeout()).isEqualTo(defaults.asyncTimeout());
            assertThat(context.getBean(SselineProperties.class).hub().maxEntries())
                    .isEqualTo(EventHub.DEFAULT_MAX_ENTRIES);
            assertThat(context).hasSingleBean(EventHub.class).hasSingleBean(EventStreamsLifecycle.class);
            assertThat(context).doesNotHaveBean(Backplane.class);
        });
    }

    @Test
    void everyStreamPropertyReachesTheStreams() {
        runner.withPropertyValues(
                        "sseline.stream.heartbeat-interval=20s",
                        "sseline.stream.max-queued-bytes=1MB",
                        "sseline.stream.slow-consumer-policy=drop",
                        "sseline.stream.close-timeout=750ms",
                        "sseline.stream.async-timeout=1h")
                .run(context -> {
                    EventStreamConfig config =
                            context.getBean(EventStreams.class).config();
                    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(config.maxQueuedBytes()).isEqualTo(1024 * 1024);
                    assertThat(config.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
                    assertThat(config.closeTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(config.asyncTimeout()).isEqualTo(Duration.ofHours(1));
                });
    }

    @Test
    void hubPropertiesSizeTheInMemoryHistory() throws Exception {
        runner.withPropertyValues("sseline.hub.max-entries=2", "sseline.hub.rewind=1")
                .run(context -> {
                    EventHub hub = context.getBean(EventHub.class);
                    for (String data : List.of("a", "b", "c")) {
                        hub.publish("prices", Event.of(data))
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                    }
                    List<Event> kept =
                            hub.history("prices", 10).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertThat(kept).extracting(Event::data).containsExactly("b", "c");
                });
    }

    @Test
    void theFinalEventComesFromTheShutdownProperties() {
        runner.withPropertyValues(
                        "sseline.shutdown.event-type=bye",
                        "sseline.shutdown.event-data=restarting",
                        "sseline.shutdown.retry=3s")
                .run(context -> assertThat(context.getBean(SselineProperties.class)
                                .shutdown()
                                .finalEvent())
                        .contains(Event.of("restarting").withType("bye").withRetry(Duration.ofSeconds(3))));
        runner.run(context -> assertThat(
                        context.getBean(SselineProperties.class).shutdown().finalEvent())
                .contains(Event.of("").withType("shutdown")));
        runner.withPropertyValues("sseline.shutdown.event-type=")
                .run(context -> assertThat(context.getBean(SselineProperties.class)
                                .shutdown()
                                .finalEvent())
                        .isEmpty());
    }

    @Test
    void aValueOutOfRangeStopsStartupNamingTheProperty() {
        runner.withPropertyValues("sseline.stream.max-queued-bytes=0B")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("sseline.stream.max-queued-bytes must be from 1B"));
        runner.withPropertyValues("sseline.stream.heartbeat-interval=-1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("heartbeatInterval must be zero (none) or at least one millisecond"));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        EventStreams own = EventStreams.create();
        EventHub ownHub = EventHub.create();
        EventCodecs ownCodecs = new EventCodecs() {
            @Override
            public <T> EventCodec<T> of(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> EventCodec<T> of(ParameterizedTypeReference<T> type) {
                throw new UnsupportedOperationException();
            }
        };
        runner.withBean(EventStreams.class, () -> own)
                .withBean(EventHub.class, () -> ownHub)
                .withBean(EventCodecs.class, () -> ownCodecs)
                .run(context -> {
                    assertThat(context.getBean(EventStreams.class)).isSameAs(own);
                    assertThat(context.getBean(EventHub.class)).isSameAs(ownHub);
                    assertThat(context.getBean(EventCodecs.class)).isSameAs(ownCodecs);
                });
    }

    @Test
    void anApplicationSlowConsumerHandlerIsTold() {
        SlowConsumerHandler handler = (stream, policy) -> {};
        runner.withBean(SlowConsumerHandler.class, () -> handler)
                .run(context -> assertThat(
                                context.getBean(EventStreams.class).config().slowConsumerHandler())
                        .isSameAs(handler));
    }

    @Test
    void codecsWriteWithBootsJackson3Mapper() {
        runner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE")
                .run(context -> {
                    EventCodecs codecs = context.getBean(EventCodecs.class);
                    EventCodec<Price> price = codecs.of(Price.class);
                    assertThat(price.encode(new Price("ACME", 1234)))
                            .isEqualTo("{\"symbol\":\"ACME\",\"last_cents\":1234}");
                    assertThat(codecs.of(Price.class)).isSameAs(price);
                    EventCodec<Map<String, List<Price>>> book = codecs.of(new ParameterizedTypeReference<>() {});
                    assertThat(book.decode("{\"x\":[{\"symbol\":\"X\",\"last_cents\":1}]}"))
                            .isEqualTo(Map.of("x", List.of(new Price("X", 1))));
                    assertThat(book.type().getTypeName())
                            .isEqualTo("java.util.Map<java.lang.String, java.util.List<" + Price.class.getTypeName()
                                    + ">>");
                    assertThat(codecs.toString()).contains("Jackson 3");
                });
    }

    @Test
    void withOnlyAJackson2MapperCodecsUseIt() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SselineAutoConfiguration.class))
                .withBean(
                        com.fasterxml.jackson.databind.ObjectMapper.class,
                        com.fasterxml.jackson.databind.ObjectMapper::new)
                .run(context -> {
                    EventCodecs codecs = context.getBean(EventCodecs.class);
                    assertThat(codecs.toString()).contains("Jackson 2");
                    EventCodec<List<Price>> prices = codecs.of(new ParameterizedTypeReference<>() {});
                    assertThat(prices.decode(prices.encode(List.of(new Price("A", 2)))))
                            .containsExactly(new Price("A", 2));
                });
    }

    @Test
    void withoutAMapperThereAreNoCodecs() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SselineAutoConfiguration.class))
                .run(context ->
                        assertThat(context).hasSingleBean(EventStreams.class).doesNotHaveBean(EventCodecs.class));
    }

    @Test
    void outsideAServletApplicationNothingIsMade() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SselineAutoConfiguration.class))
                .run(context ->
                        assertThat(context).doesNotHaveBean(EventStreams.class).doesNotHaveBean(EventHub.class));
    }

    @Test
    void healthIsUpOnTheInMemoryHub() {
        runner.run(context -> {
            var health = context.getBean("sselineHealthIndicator", EventHubHealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("openStreams", 0).containsEntry("channels", 0);
        });
        runner.withPropertyValues("management.health.sseline.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventHubHealthIndicator.class));
    }

    @Test
    void healthIsDownOnAClosedHub() {
        runner.run(context -> {
            context.getBean(EventHub.class).close();
            var health = context.getBean(EventHubHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("hub is closed");
        });
    }
}
