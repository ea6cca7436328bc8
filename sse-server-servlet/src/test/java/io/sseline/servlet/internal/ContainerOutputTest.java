package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The portable path for outputs other than Jetty's; Jetty's own path is exercised in Jetty by every
 * servlet test, and its buffers by {@code JettyIdleBuffersTest}.
 */
class ContainerOutputTest {
    /** An output that records what it is given and whether it was flushed. */
    static final class RecordingOutput extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int flushes;

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void anOutputOtherThanJettysIsWrittenWithByteArraysAndNeedsAFlush() throws IOException {
        RecordingOutput out = new RecordingOutput();
        ContainerOutput output = ContainerOutput.of(out);

        output.write(out, "data: hi\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(output.needsFlush()).isTrue();
        assertThat(out.written.toString(StandardCharsets.UTF_8)).isEqualTo("data: hi\n\n");
        assertThat(out.flushes).as("a write does not flush by itself").isZero();
        assertThat(ContainerOutput.of(new RecordingOutput()))
                .as("one path per class")
                .isSameAs(output);
    }
}
