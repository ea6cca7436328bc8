package io.sseline.examples.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An example server's first check on every request: the {@code Host} it names, for some endpoints
 * the {@code Origin} it comes from, and its method. Refusals are JSON, {@code {"error": message,
 * "field": name}}.
 *
 * <p><b>Host.</b> A page on another site can make a browser send requests to a server on {@code
 * localhost} by pointing a name it controls at {@code 127.0.0.1} (DNS rebinding); such requests carry
 * that name as their {@code Host}, and the page can read the answers. So a request whose host is not
 * one the server serves is refused with {@code 403}.
 *
 * <p><b>Origin.</b> Any page may make a browser send a {@code GET} to another origin (an {@code
 * EventSource}, an image); it cannot read the answer, but the request still runs. An endpoint whose
 * request alone costs something, such as one that spends an API key upstream, is marked {@link
 * Builder#sameOrigin}: a request that names an {@code Origin} other than the server's own is refused
 * with {@code 403}. Browsers send {@code Origin} on every cross-origin request, and non-browser
 * clients usually send none, which passes.
 *
 * <p><b>Methods.</b> Each path serves its own methods, {@code GET} and {@code HEAD} unless {@link
 * Builder#methods} says otherwise. {@code OPTIONS} gets {@code 204} with {@code Allow}; any other
 * method {@code 405} with {@code Allow}, on every HTTP version (the servlet base class would answer
 * {@code TRACE}, and {@code 400} to some methods over HTTP/1.0).
 *
 * <pre>{@code
 * RequestGate gate = RequestGate.builder()
 *         .allowedHosts(Set.of("localhost", "127.0.0.1", "::1"))
 *         .methods("/messages", "POST")
 *         .sameOrigin("/relay")
 *         .build(); // then added as a filter on /* of the servlet context
 * }</pre>
 */
public final class RequestGate extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> READ = List.of("GET", "HEAD");

    private final transient Set<String> allowedHosts;
    private final transient Map<String, List<String>> methods;
    private final transient Set<String> sameOrigin;
    private final transient String hostHint;

    private RequestGate(Builder builder) {
        this.allowedHosts = Set.copyOf(builder.allowedHosts);
        this.methods = Map.copyOf(builder.methods);
        this.sameOrigin = Set.copyOf(builder.sameOrigin);
        this.hostHint = builder.hostHint;
    }

    /** A gate that lets no host through until {@link Builder#allowedHosts} names some. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String host = hostOf(request);
        if (!allowedHosts.contains("*") && !allowedHosts.contains(host)) {
            refuse(
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    "Host",
                    "this server does not serve the host \"" + host + "\"" + hostHint.replace("{host}", host));
            return;
        }
        String path = request.getServletPath();
        List<String> served = methods.getOrDefault(path, READ);
        String allow = String.join(", ", served) + ", OPTIONS";
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", allow);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (!served.contains(method)) {
            response.setHeader("Allow", allow);
            refuse(
                    response,
                    HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "",
                    method + " is not served here; use " + allow);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && sameOrigin.contains(path) && !isOwnOrigin(origin, request)) {
            refuse(
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    "Origin",
                    "requests from another origin (" + origin + ") are not served here");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The host the request names ({@code Host}, or HTTP/2's {@code :authority}), without the port. */
    static String hostOf(HttpServletRequest request) {
        return unbracketed(request.getServerName());
    }

    /** Whether {@code origin} is scheme, host and port of the request itself; {@code null} never is. */
    static boolean isOwnOrigin(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false; // "null", the origin of sandboxed and opaque documents
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme.equals(request.getScheme().toLowerCase(Locale.ROOT))
                && unbracketed(uri.getHost()).equals(hostOf(request))
                && port == request.getServerPort();
    }

    private static String unbracketed(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }

    private static void refuse(HttpServletResponse response, int status, String field, String message)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error", message).put("field", field);
        JsonAnswer.send(response, status, JSON.writeValueAsString(body));
    }

    /** Which hosts, methods and origins a {@link RequestGate} lets through. */
    public static final class Builder {
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Map<String, List<String>> methods = new LinkedHashMap<>();
        private final Set<String> sameOrigin = new LinkedHashSet<>();
        private String hostHint = "";

        private Builder() {}

        /**
         * The hosts served, compared without case; IPv6 addresses without brackets. {@code "*"} serves
         * any host.
         */
        public Builder allowedHosts(Set<String> hosts) {
            for (String host : hosts) {
                allowedHosts.add(unbracketed(host));
            }
            return this;
        }

        /**
         * The methods {@code path} (a servlet path, such as {@code /messages}) serves, other than
         * {@code OPTIONS}; a path not named serves {@code GET} and {@code HEAD}.
         */
        public Builder methods(String path, String... served) {
            methods.put(path, List.of(served));
            return this;
        }

        /** Refuses requests to {@code path} that name an {@code Origin} other than the server's. */
        public Builder sameOrigin(String path) {
            sameOrigin.add(path);
            return this;
        }

        /**
         * What a refusal of an unknown host adds to its message, to say how to serve it; {@code {host}}
         * stands for the host refused. Empty by default.
         */
        public Builder hostHint(String hint) {
            this.hostHint = hint;
            return this;
        }

        public RequestGate build() {
            return new RequestGate(this);
        }
    }
}
