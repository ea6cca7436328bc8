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

    private static ChatServer start(String[] args, Map<String, String> env, Properties properties) throws Exception {
        return ChatServerOptions.parse(args, env, properties).start();
    }
}
