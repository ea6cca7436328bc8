/**
 * Spring Boot auto-configuration for sseline: {@link io.sseline.spring.SselineAutoConfiguration}
 * configures the event streams, the hub and the codecs from {@link
 * io.sseline.spring.SselineProperties}, and {@link io.sseline.spring.EventCodecs} makes codecs on
 * Boot's JSON mapper. Controllers take and return {@link io.sseline.servlet.EventStream}s.
 */
@NullMarked
package io.sseline.spring;

import org.jspecify.annotations.NullMarked;
