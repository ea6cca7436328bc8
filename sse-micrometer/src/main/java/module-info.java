/**
 * Micrometer meter binders for sseline: {@link io.sseline.micrometer.EventStreamsMetrics}, {@link
 * io.sseline.micrometer.EventHubMetrics}, {@link io.sseline.micrometer.RedisBackplaneMetrics} and
 * {@link io.sseline.micrometer.EventSourceMetrics}.
 *
 * <p>The sseline modules are optional here: an application has the ones it uses, and uses the
 * binders of those only, so a client-only application needs neither the servlet API nor Lettuce.
 */
module io.sseline.micrometer {
    requires transitive micrometer.core;
    requires static transitive io.sseline.servlet;
    requires static transitive io.sseline.redis;
    requires static transitive io.sseline.client;
    requires static org.jspecify;

    exports io.sseline.micrometer;
}
