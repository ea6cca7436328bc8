package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageRequestTest {
    @Test
    void contentAloneGetsTheDefaultAuthorAndRoom() throws Exception {
        MessageRequest request = MessageRequest.parse(bytes("{\"content\":\"Hello!\"}"));

        assertThat(request).isEqualTo(new MessageRequest("Hello!", "anonymous", "lobby"));
    }

    @Test
    void contentAuthorAndRoomAreStrippedAndKept() throws Exception {
        MessageRequest request =
                MessageRequest.parse(bytes("{\"room\":\"dev-2\",\"author\":\"  ada \",\"content\":\" hi\\nthere \"}"));

        assertThat(request).isEqualTo(new MessageRequest("hi\nthere", "ada", "dev-2"));
    }

    @Test
    void contentOfExactlyTheLimitIsAccepted() throws Exception {
        String content = "é".repeat(MessageRequest.MAX_CONTENT_LENGTH);

        assertThat(MessageRequest.parse(bytes("{\"content\":\"" + content + "\"}"))
                        .content())
                .isEqualTo(content);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | hello                                        | ''       | body is not valid JSON
            truncated JSON           | {"content":"Hi"                              | ''       | body is not valid JSON
            empty body               | ''                                           | ''       | body must be a JSON object
            an array                 | ["Hello!"]                                   | ''       | body must be a JSON object
            a string                 | "Hello!"                                     | ''       | body must be a JSON object
            trailing tokens          | {"content":"Hi"} {"content":"again"}         | ''       | body is not valid JSON
            duplicate field          | {"content":"Hi","content":"again"}           | ''       | body is not valid JSON
            no content               | {"author":"ada"}                             | content  | content is required
            null content             | {"content":null}                             | content  | content must be a string, not null
            numeric content          | {"content":42}                               | content  | content must be a string, not number
            empty content            | {"content":""}                               | content  | content must not be empty
            blank content            | {"content":" \\n\\t "}                       | content  | content must not be empty
            unknown field            | {"content":"Hi","admin":true}                | admin    | unknown field "admin"
            empty author             | {"content":"Hi","author":"  "}               | author   | author must not be empty
            control in author        | {"content":"Hi","author":"a\\u0007b"}        | author   | author must not contain control characters
            long author              | {"content":"Hi","author":"abcdefghijabcdefghijabcdefghijabc"} | author | author has 33 characters; the most is 32
            bad room                 | {"content":"Hi","room":"../etc"}             | room     | room must be 1 to 32 letters
            """)
    void brokenRuleIsRefusedNamingTheFieldAndTheRule(String name, String body, String field, String message) {
        InvalidMessageException error =
                catchThrowableOfType(InvalidMessageException.class, () -> MessageRequest.parse(bytes(body)));

        assertThat(error).as(name).isNotNull();
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.getMessage()).startsWith(message);
    }

    @Test
    void contentOverTheLimitIsRefusedWithItsLength() {
        String content = "x".repeat(MessageRequest.MAX_CONTENT_LENGTH + 1);

        InvalidMessageException error = catchThrowableOfType(
                InvalidMessageException.class, () -> MessageRequest.parse(bytes("{\"content\":\"" + content + "\"}")));

        assertThat(error.field()).isEqualTo("content");
        assertThat(error.getMessage()).isEqualTo("content has 1001 characters; the most a message may have is 1000");
    }

    @Test
    void bodyOverTheByteLimitIsRefusedBeforeParsing() {
        byte[] body = new byte[MessageRequest.MAX_BODY_BYTES + 1];

        InvalidMessageException error =
                catchThrowableOfType(InvalidMessageException.class, () -> MessageRequest.parse(body));

        assertThat(error.getMessage()).startsWith("body is larger than 16384 bytes");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
