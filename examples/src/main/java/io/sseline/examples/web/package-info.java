/**
 * What the example servers share at their front door: {@link io.sseline.examples.web.RequestGate},
 * the check of every request's host, origin and method, and {@link
 * io.sseline.examples.web.JsonAnswer}, the JSON answers they give.
 */
package io.sseline.examples.web;
