/** Byte-level helpers for the parser and serializer. Not exported; may change in any release. */
@NullMarked
package io.sseline.core.internal;

import org.jspecify.annotations.NullMarked;
