/**
 * The Server-Sent Events wire format: {@link io.sseline.core.EventParser} turns bytes into events
 * exactly as the WHATWG HTML "event stream interpretation" says, and {@link
 * io.sseline.core.EventSerializer} turns events into bytes that no field value can break out of.
 *
 * <p>This module depends on {@code java.base} only.
 */
module io.sseline.core {
    requires static org.jspecify;

    exports io.sseline.core;
}
