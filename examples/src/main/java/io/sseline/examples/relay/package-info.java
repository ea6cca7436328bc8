/**
 * A relay: a browser's event stream fed from an upstream stream that answers a {@code POST}, here a
 * local fake language model that streams tokens, with back-pressure and cancellation end to end.
 */
@NullMarked
package io.sseline.examples.relay;

import org.jspecify.annotations.NullMarked;
