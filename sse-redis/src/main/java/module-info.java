/**
 * A backplane for the sseline {@code EventHub} on Redis Streams, through the Lettuce client, so
 * that several server nodes share channels, history and {@code Last-Event-ID} replay.
 */
module io.sseline.redis {
    requires transitive io.sseline.servlet;
    requires transitive lettuce.core;
    requires static org.jspecify;

    exports io.sseline.redis;
}
