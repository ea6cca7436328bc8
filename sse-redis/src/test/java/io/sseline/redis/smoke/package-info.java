/**
 * A program that uses sse-redis from outside its module; a package of its own, since the module's
 * packages cannot be shared with code on the class path.
 */
package io.sseline.redis.smoke;
