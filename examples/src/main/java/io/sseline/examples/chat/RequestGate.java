package io.sseline.examples.chat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The chat's first check on every request: the {@code Host} it names, and its method.
 *
 * <p><b>Host.</b> A page on another site can make a browser send requests to a server on {@code
 * localhost} by pointing a name it controls at {@code 127.0.0.1} (DNS rebinding); such requests carry
 * that name as their {@code Host}. So a request whose host is not one the chat serves is refused with
 * {@code 403}; which hosts it serves is {@link ChatServer.Builder#allowedHosts}.
 *
 * <p><b>Methods.</b> Each endpoint serves its own methods: {@code /sse}, {@code /ping} and the page's
 * files {@code GET} and {@code HEAD}, {@code /messages} {@code POST}. {@code OPTIONS} gets {@code 204}
 * with {@code Allow}; any other method {@code 405} with {@code Allow}, on every HTTP version.
 */
final class RequestGate extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final List<String> READ = List.of("GET", "HEAD", "OPTIONS");
    private static final Map<String, List<String>> ALLOW =
            Map.of("/sse", READ, "/ping", READ, "/messages", List.of("POST", "OPTIONS"));

    private final transient Set<String> allowedHosts;

    /** {@code allowedHosts} in lower case, IPv6 addresses without brackets; {@code "*"} allows any. */
    RequestGate(Set<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String host = hostOf(request);
        if (!allowedHosts.contains("*") && !allowedHosts.contains(host)) {
            ChatJson.sendError(
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    new InvalidMessageException(
                            "Host",
                            "this chat does not serve the host \"" + host + "\"; start it with --allowed-hosts " + host
                                    + " to allow it"));
            return;
        }
        List<String> served = ALLOW.getOrDefault(request.getServletPath(), READ);
        String allow = String.join(", ", served);
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", allow);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (!served.contains(method)) {
            response.setHeader("Allow", allow);
            ChatJson.sendError(
                    response,
                    HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    new InvalidMessageException("", method + " is not served here; use " + allow));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The host the request names ({@code Host}, or HTTP/2's {@code :authority}), without the port. */
    static String hostOf(HttpServletRequest request) {
        String name = request.getServerName();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
