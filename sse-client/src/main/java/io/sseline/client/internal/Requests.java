package io.sseline.client.internal;

import java.net.http.HttpRequest;

/**
 * Checks on what a request may carry, by the rules of {@link HttpRequest.Builder}: names and values
 * of headers (token syntax, no control characters, none of the headers the client sets itself, such
 * as {@code Host} and {@code Content-Length}) and method names. The JDK keeps these rules in the
 * builder alone, so each check asks a builder that is never built; in one place, so that a setting
 * fails when it is given, with the JDK's own message, and never later on the network thread.
 */
public final class Requests {
    private Requests() {}

    /**
     * Returns normally if a request may carry the header {@code name: value}.
     *
     * @throws IllegalArgumentException if {@link HttpRequest.Builder#header} refuses it
     */
    public static void checkHeader(String name, String value) {
        HttpRequest.newBuilder().header(name, value);
    }

    /**
     * Returns normally if {@code method} is a valid method name.
     *
     * @throws IllegalArgumentException if {@link HttpRequest.Builder#method} refuses it
     */
    public static void checkMethod(String method) {
        HttpRequest.newBuilder().method(method, HttpRequest.BodyPublishers.noBody());
    }
}
