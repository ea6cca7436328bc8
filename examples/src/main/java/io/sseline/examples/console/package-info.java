/**
 * The chat in a terminal, on {@code sse-client}: {@link io.sseline.examples.console.ConsoleChat}
 * prints a room's messages and presence and posts each line typed.
 */
package io.sseline.examples.console;
