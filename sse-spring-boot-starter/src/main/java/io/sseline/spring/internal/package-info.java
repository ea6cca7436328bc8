/**
 * The starter's parts that applications do not use by name: the controller argument and return
 * value support, the shutdown lifecycle, the health indicator and the codec cache. Not API; they
 * may change in any release.
 */
@NullMarked
package io.sseline.spring.internal;

import org.jspecify.annotations.NullMarked;
