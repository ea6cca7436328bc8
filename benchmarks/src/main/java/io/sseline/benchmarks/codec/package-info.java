/**
 * What a codec costs on the hub: {@link io.sseline.benchmarks.codec.HubCodecCost} publishes objects
 * through a counting Jackson codec to N subscribers and measures encodings and CPU per publish.
 */
package io.sseline.benchmarks.codec;
