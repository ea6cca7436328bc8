package io.sseline.client;

import io.sseline.client.internal.Responses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * Thrown or reported when a server answers a request for an event stream with something other than
 * {@code 200 OK} and {@code Content-Type: text/event-stream}: an error status, a redirect that was
 * not followed, a body of another type, or an event stream in a content coding such as {@code gzip}
 * (which this library does not decode; it asks for {@code Accept-Encoding: identity}). It carries
 * what the server sent so that the caller can tell a wrong URL (404) from an overloaded server (503)
 * or a login page (200 with {@code text/html}).
 *
 * <pre>{@code
 * public void onError(EventSource source, Throwable error, boolean willReconnect) {
 *     if (error instanceof UnexpectedResponseException e && e.statusCode() == 401) {
 *         refreshToken();
 *     }
 * }
 * }</pre>
 *
 * <p>It is an {@link IOException} because the server, not the caller, is at fault. Instances are
 * immutable.
 */
public final class UnexpectedResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String contentType;
    private final String contentEncoding;
    private final transient URI uri;
    private final transient HttpHeaders headers;
    private final String body;

    /**
     * Creates an exception for a response with the given status and headers, whose body was not read.
     *
     * @param uri the URI that was requested
     * @param statusCode the status the server sent
     * @param headers the response headers
     */
    public UnexpectedResponseException(URI uri, int statusCode, HttpHeaders headers) {
        this(uri, statusCode, headers, "");
    }

    /**
     * Creates an exception for a response with the given status, headers and (start of the) body.
     *
     * @param body the body, or as much of it as was read; {@code ""} if none was
     */
    public UnexpectedResponseException(URI uri, int statusCode, HttpHeaders headers, String body) {
        this(uri, statusCode, headers, body, "");
    }

    private UnexpectedResponseException(URI uri, int statusCode, HttpHeaders headers, String body, String reason) {
        super(message(uri, statusCode, headers, Objects.requireNonNull(body, "body"), reason));
        this.uri = Objects.requireNonNull(uri, "uri");
        this.statusCode = statusCode;
        this.headers = headers;
        this.contentType = contentTypeOf(headers);
        this.contentEncoding = Responses.contentCoding(headers);
        this.body = body;
    }

    /** Creates an exception for the response described by {@code info}, whose body was not read. */
    public static UnexpectedResponseException of(URI uri, HttpResponse.ResponseInfo info) {
        return new UnexpectedResponseException(uri, info.statusCode(), info.headers());
    }

    /**
     * Creates an exception for the response described by {@code info}, whose body was not read, and
     * that was not taken for {@code reason}, which ends the message: for example why a redirect was
     * not followed.
     */
    public static UnexpectedResponseException of(URI uri, HttpResponse.ResponseInfo info, String reason) {
        Objects.requireNonNull(reason, "reason");
        return new UnexpectedResponseException(uri, info.statusCode(), info.headers(), "", reason);
    }

    /** The HTTP status code the server sent. */
    public int statusCode() {
        return statusCode;
    }

    /** The {@code Content-Type} the server sent, or {@code ""} when it sent none. */
    public String contentType() {
        return contentType;
    }

    /**
     * The content codings the server applied to the body ({@code Content-Encoding}, for example
     * {@code gzip}), or {@code ""} when it applied none (or only {@code identity}). An event stream
     * with a content coding is refused: this library reads streams unencoded.
     */
    public String contentEncoding() {
        return contentEncoding;
    }

    /**
     * The URI that was requested, or the empty URI when the reader did not know it ({@link
     * EventBodyHandlers} sees only the response).
     */
    public URI uri() {
        return uri;
    }

    /** The response headers, for example {@code Retry-After} or {@code WWW-Authenticate}. */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The start of the response body, decoded as UTF-8: {@link EventBodyHandlers} read up to 8 KiB of
     * it, since an API's error body says what went wrong; {@code ""} when the body was not read, as
     * {@link EventSource} does not read it (it releases the connection at once).
     */
    public String body() {
        return body;
    }

    private static String contentTypeOf(HttpHeaders headers) {
        return Objects.requireNonNull(headers, "headers")
                .firstValue("Content-Type")
                .orElse("");
    }

    private static String message(URI uri, int status, HttpHeaders headers, String body, String reason) {
        String contentType = contentTypeOf(headers);
        String coding = Responses.contentCoding(headers);
        String got = "status " + status + (contentType.isEmpty() ? " without Content-Type" : " with " + contentType)
                + (coding.isEmpty() ? "" : " and Content-Encoding " + coding);
        String hint;
        if (!reason.isEmpty()) {
            hint = reason;
        } else if (status == 200 && !coding.isEmpty()) {
            hint = "event streams are read unencoded, and requested with Accept-Encoding: identity (add that"
                    + " header to requests read with EventBodyHandlers); make the server or proxy send the stream"
                    + " without " + coding;
        } else if (status >= 200 && status < 300) {
            hint = "the URL does not serve Server-Sent Events; check it, or make the server send"
                    + " Content-Type: text/event-stream";
        } else if (status >= 300 && status < 400) {
            hint = "the redirect"
                    + headers.firstValue("Location").map(l -> " to " + l).orElse("")
                    + " was not followed; send the request there if it may carry its credentials there (an"
                    + " HttpClient that follows redirects sends every header to any origin), or read the stream"
                    + " with EventSource, which follows redirects and keeps credentials to their origin";
        } else if (status == 401 || status == 403) {
            hint = "check the credentials sent with the request";
        } else if (status < 500 && status != 429) {
            hint = "check the URL, method and headers of the request";
        } else {
            hint = "the server is failing or overloaded";
        }
        String from = uri.toString().isEmpty() ? "the server" : uri.toString();
        String excerpt =
                body.isEmpty() ? "" : "; body: " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
        return "expected 200 with Content-Type text/event-stream from " + from + " but got " + got + "; " + hint
                + excerpt;
    }
}
