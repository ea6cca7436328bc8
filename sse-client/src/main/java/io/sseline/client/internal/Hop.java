package io.sseline.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One request of a connection attempt: the first one, or one that follows a redirect. Immutable.
 *
 * <p>Redirects follow the Fetch standard's "HTTP-redirect fetch", as browsers do for an {@code
 * EventSource}, with the rules of curl and OkHttp for what fetch leaves to the browser:
 *
 * <ol>
 *   <li>Only 301, 302, 303, 307 and 308 with a {@code Location} are redirects; the location is
 *       resolved against the URL that answered and must be {@code http} or {@code https}.
 *   <li>A redirect from {@code https} to {@code http} is refused: it would send the request, and
 *       the stream, unencrypted.
 *   <li>At most {@code maxRedirects} redirects in a row.
 *   <li>Method and body, as fetch rewrites them: 301 and 302 turn {@code POST} into {@code GET},
 *       303 turns every method but {@code GET} and {@code HEAD} into {@code GET}; the body and its
 *       headers ({@code Content-Type}, {@code Content-Encoding}, {@code Content-Language}, {@code
 *       Content-Location}) are dropped with it. 307 and 308 keep method and body.
 *   <li>Fetch drops {@code Authorization} on the way to another origin; this goes further: to
 *       another origin (scheme, host or port), only the protocol's headers go along ({@code
 *       Accept}, {@code Accept-Encoding}, {@code Cache-Control}, {@code Last-Event-ID}) and, with a
 *       body that goes along, its headers. So {@code Authorization}, {@code Cookie}, {@code
 *       Proxy-Authorization}, API keys in custom headers and whatever the header supplier returned
 *       stay with the origin they were meant for. Once dropped, they stay dropped for the rest of
 *       the chain, even if it leads back.
 * </ol>
 */
final class Hop {
    /** Headers the protocol sends to every origin. */
    private static final Set<String> PROTOCOL_HEADERS = caseInsensitive("Accept", "Accept-Encoding", "Cache-Control");
    /** Fetch's "request-body-header names": they describe the body and go where it goes. */
    private static final Set<String> BODY_HEADERS =
            caseInsensitive("Content-Type", "Content-Encoding", "Content-Language", "Content-Location");

    private final URI uri;
    private final String method;
    private final HttpRequest.@Nullable BodyPublisher body;
    /** Name to values, names compared without case; does not hold Last-Event-ID. */
    private final Map<String, List<String>> headers;

    private final int redirects;

    private Hop(
            URI uri,
            String method,
            HttpRequest.@Nullable BodyPublisher body,
            Map<String, List<String>> headers,
            int redirects) {
        this.uri = uri;
        this.method = method;
        this.body = body;
        this.headers = headers;
        this.redirects = redirects;
    }

    /**
     * The first request: the protocol's headers, then the fixed headers, then the computed ones,
     * each replacing earlier ones of the same name.
     *
     * @throws IllegalArgumentException if a computed header is one that no request may carry
     */
    static Hop first(
            URI uri,
            String method,
            HttpRequest.BodyPublisher body,
            Map<String, List<String>> fixedHeaders,
            Map<String, String> computedHeaders) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("text/event-stream"));
        headers.put("Accept-Encoding", List.of("identity"));
        headers.put("Cache-Control", List.of("no-cache"));
        headers.putAll(fixedHeaders); // checked when they were set
        computedHeaders.forEach((name, value) -> {
            Requests.checkHeader(name, value);
            headers.put(name, List.of(value));
        });
        headers.remove("Last-Event-ID"); // the source's own, added to each request
        return new Hop(withoutFragment(uri), method, body, Collections.unmodifiableMap(headers), 0);
    }

    URI uri() {
        return uri;
    }

    /** The request, with {@code lastEventId} as its {@code Last-Event-ID} header when present. */
    HttpRequest request(Optional<String> lastEventId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).method(method, body != null ? body : HttpRequest.BodyPublishers.noBody());
        headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
        return request.build();
    }

    /** Whether {@code status} is one of the redirects that are followed. */
    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The request that follows a redirect with {@code status} to {@code location} (the raw header
     * value, if any).
     *
     * @throws RedirectRefusedException if the redirect is not to be followed; its message says why
     */
    Hop redirect(int status, Optional<String> location, int maxRedirects) throws RedirectRefusedException {
        if (location.isEmpty() || location.get().isBlank()) {
            throw new RedirectRefusedException("it has no Location header");
        }
        URI target = resolve(location.get());
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || target.getHost() == null) {
            throw new RedirectRefusedException("its Location " + target + " is not an http or https URL");
        }
        if (uri.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new RedirectRefusedException(
                    "it leads from https to " + target + ", which would send the request and the stream unencrypted");
        }
        if (redirects >= maxRedirects) {
            throw new RedirectRefusedException(
                    maxRedirects == 0
                            ? "EventSource.Builder#maxRedirects is 0; raise it to follow redirects"
                            : "redirect number " + (redirects + 1) + " in a row is more than"
                                    + " EventSource.Builder#maxRedirects (" + maxRedirects + ")");
        }
        boolean toGet = ((status == 301 || status == 302) && method.equals("POST"))
                || (status == 303 && !method.equals("GET") && !method.equals("HEAD"));
        boolean sameOrigin = HttpClientPool.originOf(uri).equals(HttpClientPool.originOf(target));
        Map<String, List<String>> next = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            boolean bodyHeader = BODY_HEADERS.contains(name);
            if (toGet && bodyHeader) {
                return;
            }
            if (sameOrigin || PROTOCOL_HEADERS.contains(name) || (bodyHeader && body != null)) {
                next.put(name, values);
            }
        });
        return new Hop(
                withoutFragment(target),
                toGet ? "GET" : method,
                toGet ? null : body,
                Collections.unmodifiableMap(next),
                redirects + 1);
    }

    /**
     * {@code location} resolved against this request's URL. {@code HttpClient} reads header bytes as
     * ISO-8859-1; a server that sent a UTF-8 location gets its characters back.
     */
    private URI resolve(String location) throws RedirectRefusedException {
        String value = location.trim();
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        try {
            value = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            // keep the ISO-8859-1 reading
        }
        try {
            URI reference = new URI(encodeNonAscii(value));
            return uri.resolve(reference);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RedirectRefusedException("its Location \"" + location + "\" is not a URL");
        }
    }

    /** Percent-encodes the UTF-8 bytes of characters outside ASCII, as a browser does to a URL. */
    private static String encodeNonAscii(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
            for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
            i = end - 1;
        }
        return out.toString();
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }

    private static Set<String> caseInsensitive(String... names) {
        TreeMap<String, Boolean> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            set.put(name, true);
        }
        return Collections.unmodifiableSet(set.keySet());
    }

    /** Why a redirect is not followed; the connection turns it into an UnexpectedResponseException. */
    static final class RedirectRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedirectRefusedException(String reason) {
            super(reason, null, false, false);
        }
    }

    @Override
    public String toString() {
        return method + " " + uri + " (" + new ArrayList<>(headers.keySet()) + ", redirect " + redirects + ")";
    }
}
