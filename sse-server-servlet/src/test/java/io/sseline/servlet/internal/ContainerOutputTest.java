package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The portable path for outputs other than Jetty's; Jetty's own path is exercised in Jetty by every
 * servlet test, and its buffers by {@code JettyIdleBuffersTest}.
 */
class ContainerOutputTest {
    @Test
    void anOutputOtherThanJettysIsWrittenWithByteArraysAndNeedsAFlush() throws IOException {
        RecordingOutput out = new RecordingOutput();
        ContainerOutput output = ContainerOutput.of(out);

        output.write(out, "data: hi\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(output.needsFlush()).isTrue();
        assertThat(out.written()).isEqualTo("data: hi\n\n");
        assertThat(out.flushes).as("a write does not flush by itself").hasValue(0);
        assertThat(ContainerOutput.of(new RecordingOutput()))
                .as("one path per class")
                .isSameAs(output);
    }
}
