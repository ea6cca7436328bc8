/**
 * The machinery behind {@code io.sseline.client}: the event source state machine, the requests of a
 * connection attempt and the redirects between them, the pool of HTTP clients that spreads streams
 * over as many HTTP/2 connections as servers allow, the body subscribers that feed the parser under
 * back-pressure, the serial callback executor, and the shared threads and scheduler. Not exported;
 * nothing here is API.
 */
@NullMarked
package io.sseline.client.internal;

import org.jspecify.annotations.NullMarked;
