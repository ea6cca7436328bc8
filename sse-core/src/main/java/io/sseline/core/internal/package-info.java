/** Byte-level helpers for the parser and serializer. Not exported; may change in any release. */
package io.sseline.core.internal;
