/**
 * What the example servers share at their front door: {@link io.sseline.examples.web.RequestGate},
 * the check of every request's host, origin and method.
 */
package io.sseline.examples.web;
