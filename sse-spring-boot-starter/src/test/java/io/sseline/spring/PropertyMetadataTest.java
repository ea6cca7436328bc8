package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.hub.EventHub;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IDE metadata that the configuration processor generated: every {@code sseline.*} property
 * described, its default the library's own, and the README's property table the same list with
 * the same defaults.
 */
class PropertyMetadataTest {
    /** Property name to its metadata entry. */
    private static Map<String, JsonNode> properties() throws IOException {
        for (URL url : Collections.list(PropertyMetadataTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode root = JsonMapper.builder().build().readTree(in);
                Map<String, JsonNode> found = new LinkedHashMap<>();
                for (JsonNode p : root.get("properties")) {
                    if (p.get("name").asString().startsWith("sseline.")) {
                        found.put(p.get("name").asString(), p);
                    }
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        throw new AssertionError("no metadata for sseline.* on the class path");
    }

    private static String defaultOf(Map<String, JsonNode> properties, String name) {
        JsonNode value = properties.get(name).get("defaultValue");
        return value == null ? "" : value.asString();
    }

    @Test
    void everyPropertyIsDescribed() throws IOException {
        Map<String, JsonNode> properties = properties();

        assertThat(properties).hasSize(18);
        properties.forEach((name, p) -> assertThat(p.get("description").asString())
                .as(name)
                .matches("[A-Z].*\\.")
                .doesNotContain("{@"));
    }

    @Test
    void theDefaultsAreTheLibrarys() throws IOException {
        Map<String, JsonNode> p = properties();

        assertThat(Duration.parse(
                        "PT" + defaultOf(p, "sseline.stream.heartbeat-interval").toUpperCase()))
                .isEqualTo(EventStreamConfig.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(Duration.parse(
                        "PT" + defaultOf(p, "sseline.stream.close-timeout").toUpperCase()))
                .isEqualTo(EventStreamConfig.DEFAULT_CLOSE_TIMEOUT);
        assertThat(DataSize.parse(defaultOf(p, "sseline.stream.max-queued-bytes"))
                        .toBytes())
                .isEqualTo(EventStreamConfig.DEFAULT_MAX_QUEUED_BYTES);
        assertThat(defaultOf(p, "sseline.stream.slow-consumer-policy"))
                .isEqualToIgnoringCase(
                        EventStreamConfig.defaults().slowConsumerPolicy().name());
        assertThat(Integer.parseInt(defaultOf(p, "sseline.hub.max-entries"))).isEqualTo(EventHub.DEFAULT_MAX_ENTRIES);
        assertThat(Integer.parseInt(defaultOf(p, "sseline.hub.redis.max-entries")))
                .isEqualTo(RedisBackplane.DEFAULT_MAX_ENTRIES);
        assertThat(defaultOf(p, "sseline.hub.redis.stream-key")).isEqualTo(RedisBackplane.DEFAULT_STREAM_KEY);
    }

    @Test
    void theReadmeTableListsEveryPropertyWithItsDefault() throws IOException {
        Map<String, JsonNode> p = properties();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| `(sseline\\.[a-z.-]+)` \\| ([^|]+) \\|")
                .matcher(readme);
        Map<String, String> table = new LinkedHashMap<>();
        while (row.find()) {
            String shown = row.group(2).strip();
            table.put(row.group(1), shown.startsWith("`") ? shown.replace("`", "") : "");
        }

        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(p.keySet());
        table.forEach((name, shown) -> assertThat(shown).as(name).isEqualTo(defaultOf(p, name)));
    }
}
