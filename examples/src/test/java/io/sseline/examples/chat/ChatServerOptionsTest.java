package io.sseline.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ChatServerOptionsTest {
    private static final String[] NO_ARGS = {};

    @Test
    void flagBeatsSystemPropertyWhichBeatsEnvironmentVariable() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("chat.port", "0");
        Map<String, String> env = Map.of("CHAT_PORT", "1", "CHAT_HTTPS_PORT", "-1");

        try (ChatServer fromProperty = start(NO_ARGS, env, properties);
                ChatServer fromFlag = start(
                        new String[] {"--port=0", "--https-port", "-1"}, Map.of("CHAT_PORT", "1"), new Properties())) {
            // Had the variable won, the server would listen on port 1; 0 picks a free one. TLS is off.
            assertThat(fromProperty.uri().getPort()).isPositive().isNotEqualTo(1);
            assertThat(fromProperty.secureUri()).isEmpty();
            assertThat(fromFlag.uri().getPort()).isPositive().isNotEqualTo(1);
            assertThat(fromFlag.secureUri()).isEmpty();
        }
    }

    @Test
    void helpAsksForTheUsageOnly() {
        assertThat(ChatServerOptions.parse(new String[] {"--help"}, Map.of(), new Properties()))
                .isNull();
    }

    @Test
    void badOptionsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--prot", "1"}, Map.of(), new Properties()))
                .hasMessage("unknown option --prot");
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--port"}, Map.of(), new Properties()))
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, Map.of("CHAT_PORT", "eighty"), new Properties()))
                .hasMessage("port must be a number: eighty");
        assertThatThrownBy(
                        () -> ChatServerOptions.parse(new String[] {"--https-port", "-2"}, Map.of(), new Properties()))
                .hasMessage("httpsPort must be between -1 (off) and 65535: -2");
    }

    @Test
    void redisOptionsAreCheckedAndTheFlagBeatsTheVariable() {
        // The variable's value is not a Redis URI; the flag's is, and it wins. Nothing listens on
        // port 1, so the build that tries to connect names the flag's address.
        Map<String, String> env = Map.of("CHAT_REDIS", "not a uri", "CHAT_PORT", "0", "CHAT_HTTPS_PORT", "-1");
        assertThatThrownBy(() -> ChatServerOptions.parse(
                                new String[] {"--redis", "redis://127.0.0.1:1", "--redis-key=k"}, env, new Properties())
                        .build())
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot connect to Redis at 127.0.0.1:1");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, env, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("uri is not a Redis URI (like redis://127.0.0.1:6379): \"not a uri\"");
        Properties properties = new Properties();
        properties.setProperty("chat.redis.key", "chat:other");
        assertThatThrownBy(() -> ChatServerOptions.parse(NO_ARGS, Map.of(), properties))
                .hasMessage("--redis-key needs --redis: the key names a stream on that Redis");
        assertThatThrownBy(() -> ChatServerOptions.parse(new String[] {"--redis"}, Map.of(), new Properties()))
                .hasMessage("--redis needs a value");
    }

    @Test
    void redisStreamStartIsTheFirstPositionOfTheHeadsEpoch() {
        assertThat(ChatServer.redisStreamStart("k3j9x2a1-1764057600123-4")).isEqualTo("k3j9x2a1-0-0");
        assertThat(ChatServer.redisStreamStart("k3j9x2a1-0-0")).isEqualTo("k3j9x2a1-0-0");
        assertThatThrownBy(() -> ChatServer.redisStreamStart("nodash"))
                .hasMessage("not an id of a Redis backplane: nodash");
    }

    private static ChatServer start(String[] args, Map<String, String> env, Properties properties) throws Exception {
        return ChatServerOptions.parse(args, env, properties).start();
    }
}
