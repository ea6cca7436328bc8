package io.sseline.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.MetaData;

/**
 * The HTTP versions a test can speak to a server, each for one whole exchange: HTTP/1.x on {@link
 * RawClient}, HTTP/2 on {@link H2Client}.
 */
public enum Protocol {
    HTTP_1_0,
    HTTP_1_1,
    /** HTTP/2 without TLS, with prior knowledge. */
    H2C,
    /** HTTP/2 over TLS, chosen by ALPN. */
    H2;

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A complete response: status, headers (names in lower case, repeated ones joined by ", "), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {}

    /**
     * Sends a request without a body to a server's loopback ports, plain and TLS, and reads the
     * response to its end; for responses that end (over HTTP/1.x the request asks the server to close
     * the connection after it).
     */
    public Response exchange(int port, int tlsPort, String method, String path, Map<String, String> headers)
            throws Exception {
        if (this == H2C || this == H2) {
            try (H2Client client = H2Client.connect(this == H2 ? tlsPort : port, this == H2)) {
                H2Client.Exchange exchange = client.request(method, path, headers, true);
                MetaData.Response head = exchange.response(WAIT);
                exchange.ended().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return new Response(head.getStatus(), fields(head), exchange.body());
            }
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Connection", "close");
        try (RawClient client =
                RawClient.send(port, method, path, this == HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1", all, 0)) {
            boolean noBody = method.equals("HEAD") || client.status() == 204 || client.status() == 304;
            byte[] body = noBody ? client.readRawToEnd(WAIT) : client.readToEnd(WAIT);
            Map<String, String> fields = new LinkedHashMap<>();
            client.headers().forEach((k, v) -> fields.put(k.toLowerCase(Locale.ROOT), v));
            return new Response(client.status(), fields, body);
        }
    }

    /**
     * Sends a request without a body, reads the response head and its first {@code n} body bytes, and
     * goes away: closes the connection, as a client of a stream that does not end does.
     */
    public Response firstBytes(int port, int tlsPort, String method, String path, Map<String, String> headers, int n)
            throws Exception {
        if (this == H2C || this == H2) {
            try (H2Client client = H2Client.connect(this == H2 ? tlsPort : port, this == H2)) {
                H2Client.Exchange exchange = client.request(method, path, headers, true);
                MetaData.Response head = exchange.response(WAIT);
                await(n + " body bytes").atMost(WAIT).until(() -> exchange.body().length >= n);
                return new Response(head.getStatus(), fields(head), Arrays.copyOf(exchange.body(), n));
            }
        }
        try (RawClient client =
                RawClient.send(port, method, path, this == HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1", headers, 0)) {
            Map<String, String> fields = new LinkedHashMap<>();
            client.headers().forEach((k, v) -> fields.put(k.toLowerCase(Locale.ROOT), v));
            return new Response(client.status(), fields, client.readBody(n));
        }
    }

    private static Map<String, String> fields(MetaData.Response head) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (HttpField field : head.getHttpFields()) {
            fields.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        return fields;
    }
}
