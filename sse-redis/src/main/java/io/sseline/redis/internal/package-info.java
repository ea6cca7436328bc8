/**
 * Not API: the id format, the Lua scripts and the tail loop behind {@link
 * io.sseline.redis.RedisBackplane}. Not exported by the module.
 */
@NullMarked
package io.sseline.redis.internal;

import org.jspecify.annotations.NullMarked;
