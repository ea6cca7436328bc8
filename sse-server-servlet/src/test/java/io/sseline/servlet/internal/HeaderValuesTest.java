package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The query parameter that stands in for {@code Last-Event-ID}: decoding and what is refused. */
class HeaderValuesTest {
    @Test
    void theParameterIsPercentDecodedAsUtf8WithPlusAsSpace() {
        assertThat(HeaderValues.queryParameter("a=1&lastEventId=Z%C3%BCrich+42%2B1", "lastEventId"))
                .hasValue("Zürich 42+1");
    }

    @Test
    void theFirstOccurrenceWinsAndANameWithoutValueIsEmpty() {
        assertThat(HeaderValues.queryParameter("id=1&id=2", "id")).hasValue("1");
        assertThat(HeaderValues.queryParameter("x&id", "id")).hasValue("");
        assertThat(HeaderValues.queryParameter("ids=1&xid=2", "id")).isEmpty();
        assertThat(HeaderValues.queryParameter(null, "id")).isEmpty();
    }

    @Test
    void aValueThatNoEventIdCanHoldOrThatIsNotPercentEncodingIsIgnored() {
        assertThat(HeaderValues.queryParameter("id=a%0Ab", "id")).as("LF").isEmpty();
        assertThat(HeaderValues.queryParameter("id=a%0Db", "id")).as("CR").isEmpty();
        assertThat(HeaderValues.queryParameter("id=a%00b", "id")).as("NUL").isEmpty();
        assertThat(HeaderValues.queryParameter("id=%E2%82", "id"))
                .as("cut UTF-8")
                .hasValue("\uFFFD");
        assertThat(HeaderValues.queryParameter("id=%zz&id=2", "id"))
                .as("malformed, then a good one")
                .hasValue("2");
    }
}
