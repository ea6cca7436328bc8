package io.sseline.spring;

import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseline.jackson3.JacksonCodec;
import io.sseline.micrometer.EventHubMetrics;
import io.sseline.micrometer.EventStreamsMetrics;
import io.sseline.micrometer.RedisBackplaneMetrics;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SlowConsumerHandler;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.spring.internal.CachingEventCodecs;
import io.sseline.spring.internal.EventHubHealthIndicator;
import io.sseline.spring.internal.EventStreamMethodProcessor;
import io.sseline.spring.internal.EventStreamReturnValueInstaller;
import io.sseline.spring.internal.EventStreamsLifecycle;
import io.sseline.spring.internal.Jackson2Types;
import io.sseline.spring.internal.Jackson3Types;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of sseline in a Spring MVC application: an {@link EventStreams} and an {@link
 * EventHub} from the {@link SselineProperties sseline.* properties}, {@link EventCodecs} on Boot's
 * Jackson mapper, {@link EventStream} arguments and return values in controllers, every stream
 * closed with a final event before the web server stops, the backplane's health on {@code
 * /actuator/health}, and Micrometer meters when {@code sse-micrometer} is on the class path. Each bean backs off when the application declares its own of that type.
 *
 * <pre>{@code
 * @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
 * void chat(EventStream stream) {
 *     hub.subscribe(stream, List.of("chat"));
 * }
 * }</pre>
 *
 * <p>The hub runs in memory, for one node, unless {@code sse-redis} is on the class path and {@code
 * sseline.hub.redis.uri} is set: it then runs on a {@link RedisBackplane} that shares Boot's Lettuce
 * {@link ClientResources} when the application has them. A {@link Backplane} bean of the
 * application's own is used instead of either.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({EventStreams.class, DispatcherServlet.class})
@EnableConfigurationProperties(SselineProperties.class)
public final class SselineAutoConfiguration {
    /** Made by Spring. */
    public SselineAutoConfiguration() {}

    /**
     * The streams, configured by {@code sseline.stream.*}; an application {@link SlowConsumerHandler}
     * bean hears each time the slow-consumer policy applies.
     */
    @Bean
    @ConditionalOnMissingBean
    public EventStreams eventStreams(SselineProperties properties, ObjectProvider<SlowConsumerHandler> slowConsumers) {
        var config = properties.stream().toConfig().toBuilder();
        slowConsumers.ifAvailable(config::slowConsumerHandler);
        return EventStreams.create(config.build());
    }

    /** Closes the streams with the final event before the web server stops. */
    @Bean
    @ConditionalOnMissingBean
    public EventStreamsLifecycle eventStreamsLifecycle(EventStreams streams, SselineProperties properties) {
        return new EventStreamsLifecycle(streams, properties.shutdown().finalEvent());
    }

    /**
     * The hub, on the application's or the Redis {@link Backplane} when there is one, else on a
     * history in memory sized by {@code sseline.hub.max-entries} and {@code max-age}. Closed with the
     * context, after the streams, and closing its backplane.
     */
    @Bean
    @ConditionalOnMissingBean
    public EventHub eventHub(SselineProperties properties, ObjectProvider<Backplane> backplane) {
        SselineProperties.Hub hub = properties.hub();
        EventHub.Builder builder = EventHub.builder().rewind(hub.rewind());
        Backplane shared = backplane.getIfAvailable();
        if (shared != null) {
            builder.backplane(shared);
        } else {
            builder.maxEntries(hub.maxEntries()).maxAge(hub.maxAge());
        }
        return builder.build();
    }

    /** The hub on Redis: {@code sse-redis} on the class path and {@code sseline.hub.redis.uri} set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.sseline.redis.RedisBackplane")
    @ConditionalOnProperty("sseline.hub.redis.uri")
    static final class RedisHub {
        /** Owned by the hub, which closes it; so no destroy method of its own. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(Backplane.class)
        RedisBackplane sselineRedisBackplane(SselineProperties properties, ObjectProvider<ClientResources> resources) {
            SselineProperties.Redis redis = properties.hub().redis();
            RedisBackplane.Builder builder = RedisBackplane.builder()
                    .uri(Objects.requireNonNull(redis.uri(), "sseline.hub.redis.uri"))
                    .streamKey(redis.streamKey())
                    .maxEntries(redis.maxEntries())
                    .maxAge(redis.maxAge())
                    .commandTimeout(redis.commandTimeout())
                    .reconnectDelay(redis.reconnectMinDelay(), redis.reconnectMaxDelay());
            resources.ifAvailable(builder::clientResources);
            return builder.build();
        }
    }

    /**
     * Meters for the streams, the hub and a Redis backplane, when {@code sse-micrometer} is on the
     * class path: Boot binds every {@code MeterBinder} bean to each of its meter registries. The
     * meters and their tags are listed in the sse-micrometer README.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"io.micrometer.core.instrument.MeterRegistry", "io.sseline.micrometer.EventStreamsMetrics"})
    static final class Metrics {
        @Bean
        @ConditionalOnMissingBean
        EventStreamsMetrics sselineEventStreamsMetrics(EventStreams streams) {
            return new EventStreamsMetrics(streams);
        }

        @Bean
        @ConditionalOnMissingBean
        EventHubMetrics sselineEventHubMetrics(EventHub hub) {
            return new EventHubMetrics(hub);
        }

        /**
         * The Redis tail's lag and reconnections, when the hub runs on a {@link RedisBackplane}, this
         * configuration's or the application's own.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "io.sseline.redis.RedisBackplane")
        static final class Redis {
            @Bean
            @ConditionalOnMissingBean(name = "sselineRedisBackplaneMetrics")
            MeterBinder sselineRedisBackplaneMetrics(ObjectProvider<RedisBackplane> backplane) {
                return registry -> backplane.ifAvailable(b -> new RedisBackplaneMetrics(b).bindTo(registry));
            }
        }
    }

    /** {@code EventStream} arguments and return values in controller methods. */
    @Configuration(proxyBeanMethods = false)
    static final class WebMvc {
        @Bean
        EventStreamMethodProcessor sselineEventStreamMethodProcessor(EventStreams streams) {
            return new EventStreamMethodProcessor(streams);
        }

        @Bean
        WebMvcConfigurer sselineWebMvcConfigurer(EventStreamMethodProcessor processor) {
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(processor);
                }
            };
        }

        /** Static: a post-processor is made before other beans, without its configuration class. */
        @Bean
        static EventStreamReturnValueInstaller sselineEventStreamReturnValueInstaller(
                ObjectProvider<EventStreamMethodProcessor> processor) {
            return new EventStreamReturnValueInstaller(processor);
        }
    }

    /** Codecs on Boot's Jackson 3 mapper. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"tools.jackson.databind.ObjectMapper", "io.sseline.jackson3.JacksonCodec"})
    @ConditionalOnBean(type = "tools.jackson.databind.ObjectMapper")
    static final class Jackson3Codecs {
        @Bean
        @ConditionalOnMissingBean
        EventCodecs eventCodecs(tools.jackson.databind.ObjectMapper mapper) {
            return new CachingEventCodecs("Jackson 3", type -> JacksonCodec.of(mapper, Jackson3Types.of(type)));
        }
    }

    /** Codecs on a Jackson 2 mapper, when the application has no Jackson 3 one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"com.fasterxml.jackson.databind.ObjectMapper", "io.sseline.jackson.JacksonCodec"})
    @ConditionalOnBean(type = "com.fasterxml.jackson.databind.ObjectMapper")
    @ConditionalOnMissingBean(type = "tools.jackson.databind.ObjectMapper")
    static final class Jackson2Codecs {
        @Bean
        @ConditionalOnMissingBean
        EventCodecs eventCodecs(com.fasterxml.jackson.databind.ObjectMapper mapper) {
            return new CachingEventCodecs(
                    "Jackson 2", type -> io.sseline.jackson.JacksonCodec.of(mapper, Jackson2Types.of(type)));
        }
    }

    /** The backplane's state on {@code /actuator/health}, as the {@code sseline} component. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static final class Health {
        /** Nested, so that its condition is read only where Boot's health support is present. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("sseline")
        static final class Indicator {
            @Bean
            @ConditionalOnMissingBean(name = "sselineHealthIndicator")
            EventHubHealthIndicator sselineHealthIndicator(
                    EventHub hub, EventStreams streams, SselineProperties properties) {
                // A Redis command fails by itself after its timeout; the check waits a little longer.
                Duration timeout = properties.hub().redis().commandTimeout().plusSeconds(1);
                return new EventHubHealthIndicator(hub, streams, timeout);
            }
        }
    }
}
