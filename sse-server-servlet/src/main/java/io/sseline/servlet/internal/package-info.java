/** Implementation details of the servlet module; not exported, no compatibility promise. */
@NullMarked
package io.sseline.servlet.internal;

import org.jspecify.annotations.NullMarked;
