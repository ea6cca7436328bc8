/**
 * Server-Sent Events for servlet containers: {@link io.sseline.servlet.EventStream}, a non-blocking
 * emitter over asynchronous servlet I/O, and {@link io.sseline.servlet.hub.EventHub}, a broadcast hub
 * of named channels with history and {@code Last-Event-ID} replay.
 *
 * <p>This module needs the Jakarta Servlet 6.0 API at run time, which every servlet container
 * provides; it does not bring its own copy.
 */
module io.sseline.servlet {
    requires transitive io.sseline.core;
    requires static transitive jakarta.servlet;
    requires static org.jspecify;

    exports io.sseline.servlet;
    exports io.sseline.servlet.hub;
    exports io.sseline.servlet.hub.spi;
}
