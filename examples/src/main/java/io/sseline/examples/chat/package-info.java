/**
 * The chat server of the tutorial: embedded Jetty 12 serving a plain HTML page, an event stream per
 * room ({@code GET /sse}), a message endpoint ({@code POST /messages}) and the two-second {@code GET
 * /ping} stream, over HTTP/1.1, h2c and HTTP/2 with TLS. Run {@link io.sseline.examples.chat.ChatServer}.
 */
package io.sseline.examples.chat;
