/**
 * {@link io.sseline.core.EventCodec}s on a Jackson 2 {@code ObjectMapper}: {@link
 * io.sseline.jackson.JacksonCodec} publishes and receives Java objects as JSON event data.
 *
 * <p>This module depends on {@code io.sseline.core} and {@code com.fasterxml.jackson.databind}.
 */
module io.sseline.jackson {
    requires transitive io.sseline.core;
    requires transitive com.fasterxml.jackson.databind;
    requires static org.jspecify;

    exports io.sseline.jackson;
}
