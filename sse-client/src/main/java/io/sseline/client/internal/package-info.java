/**
 * The machinery behind {@code io.sseline.client}: the event source state machine, the body
 * subscribers that feed the parser under back-pressure, the serial callback executor and the shared
 * scheduler. Not exported; nothing here is API.
 */
@NullMarked
package io.sseline.client.internal;

import org.jspecify.annotations.NullMarked;
