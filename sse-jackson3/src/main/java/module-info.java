/**
 * {@link io.sseline.core.EventCodec}s on a Jackson 3 {@code ObjectMapper}: {@link
 * io.sseline.jackson3.JacksonCodec} publishes and receives Java objects as JSON event data.
 *
 * <p>This module depends on {@code io.sseline.core} and {@code tools.jackson.databind}.
 */
@SuppressWarnings("module") // "jackson3" ends in a digit: the major version of Jackson it is for
module io.sseline.jackson3 {
    requires transitive io.sseline.core;
    requires transitive tools.jackson.databind;
    requires static org.jspecify;

    exports io.sseline.jackson3;
}
