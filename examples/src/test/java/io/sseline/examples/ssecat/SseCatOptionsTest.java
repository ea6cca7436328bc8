package io.sseline.examples.ssecat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SseCatOptionsTest {
    private static final InputStream NO_INPUT = new ByteArrayInputStream(new byte[0]);

    @Test
    void defaultsAreAReconnectingReadableGet() throws Exception {
        SseCatOptions options = parse("http://localhost:8080/ping");

        assertThat(options.uri()).isEqualTo(URI.create("http://localhost:8080/ping"));
        assertThat(options.method()).isEqualTo("GET");
        assertThat(options.body()).isEmpty();
        assertThat(options.headers()).isEmpty();
        assertThat(options.lastEventId()).isEmpty();
        assertThat(options.json()).isFalse();
        assertThat(options.raw())
                .as("text escapes control characters unless asked not to")
                .isFalse();
        assertThat(options.once()).isFalse();
    }

    @Test
    void rawAsksForControlCharactersAsSent() throws Exception {
        assertThat(parse("--raw", "http://localhost:8080/ping").raw()).isTrue();
    }

    @Test
    void everyOptionInLongAndShortForms() throws Exception {
        SseCatOptions options = parse(
                "-H",
                "A: 1",
                "--header=B: two words",
                "-HC:3",
                "-X",
                "patch",
                "--data=body",
                "--last-event-id",
                "42",
                "--json",
                "--once",
                "-v",
                "https://example.test/s");

        assertThat(options.headers())
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", "3"));
        assertThat(options.method()).isEqualTo("PATCH");
        assertThat(options.body())
                .hasValueSatisfying(body -> assertThat(new String(body, UTF_8)).isEqualTo("body"));
        assertThat(options.lastEventId()).isEqualTo("42");
        assertThat(options.json()).isTrue();
        assertThat(options.once()).isTrue();
        assertThat(options.verbose()).isTrue();
    }

    @Test
    void dataFromAFileOrStandardInput(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("query.json"), "{\"from\":\"file\"}");

        SseCatOptions fromFile = parse("-d", "@" + file, "http://h/");
        SseCatOptions fromStdin = SseCatOptions.parse(
                        new String[] {"-d", "@-", "http://h/"}, new ByteArrayInputStream("piped".getBytes(UTF_8)))
                .orElseThrow();

        assertThat(new String(fromFile.body().orElseThrow(), UTF_8)).isEqualTo("{\"from\":\"file\"}");
        assertThat(new String(fromStdin.body().orElseThrow(), UTF_8)).isEqualTo("piped");
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        assertThat(parse("--once", "--", "http://h/-x").uri()).isEqualTo(URI.create("http://h/-x"));
    }

    @Test
    void helpAsksForTheUsageOnly() throws Exception {
        assertThat(SseCatOptions.parse(new String[] {"--json", "-h"}, NO_INPUT)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no URL                | --json                                  | no URL given
            two URLs              | http://a/ http://b/                     | only one URL is allowed
            unknown option        | --follow http://a/                      | unknown option --follow
            header without colon  | -H NoColon http://a/                    | a header must look like 'Name: value'
            header without name   | -H :value http://a/                     | a header must look like 'Name: value'
            restricted header     | -H Host:evil http://a/                  | header 'Host:evil' cannot be sent
            missing value         | http://a/ -H                            | -H needs a value
            flag with value       | --json=yes http://a/                    | --json takes no value
            raw and json          | --raw --json http://a/                  | --raw applies to the readable form
            bad method            | -X GE/T http://a/                       | -X needs a method name
            relative URL          | /ping                                   | the URL must be absolute http or https
            other scheme          | ftp://a/                                | the URL must be absolute http or https
            not a URL             | http://a/%zz                            | not a URL
            missing body file     | -d @/no/such/file http://a/             | cannot read the body from /no/such/file
            """)
    void badCommandLineIsRefusedSayingWhy(String name, String args, String message) {
        assertThatThrownBy(() -> parse(args.split(" ")))
                .as(name)
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void lastEventIdWithALineBreakIsRefused() {
        assertThatThrownBy(() -> parse("--last-event-id", "a\nb", "http://h/"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--last-event-id must not contain CR, LF or NUL");
    }

    private static SseCatOptions parse(String... args) throws UsageException {
        return SseCatOptions.parse(args, NO_INPUT).orElseThrow();
    }
}
