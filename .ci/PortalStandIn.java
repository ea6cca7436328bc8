import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the Central Publisher Portal's upload endpoint on loopback, so that the release
 * command runs as a maintainer runs it, up to the upload, without the internet.
 *
 * <p>{@code java .ci/PortalStandIn.java DIR USER PASSWORD} listens on 127.0.0.1 (port written to
 * DIR/port) and answers {@code POST /api/v1/publisher/upload} as the Portal does: the user token
 * must match, the deployment must wait for a person to publish it ({@code
 * publishingType=USER_MANAGED}, which is what autoPublish=false sends), and the multipart part
 * {@code bundle} is the deployment, saved as DIR/bundle.zip. It answers 201 with a deployment id.
 * Anything else gets an error that says what was wrong. It exits after 30 minutes if nobody stops
 * it.
 */
public final class PortalStandIn {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java .ci/PortalStandIn.java DIR USER PASSWORD");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String expectedToken =
                Base64.getEncoder().encodeToString((args[1] + ":" + args[2]).getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, dir, expectedToken);
            } catch (RuntimeException | IOException e) {
                System.err.println("portal stand-in: " + e);
            }
        });
        server.start();
        Path port = dir.resolve("port");
        Files.writeString(dir.resolve("port.tmp"), Integer.toString(server.getAddress().getPort()));
        Files.move(dir.resolve("port.tmp"), port); // appears whole, for whoever waits for it
        System.err.println("portal stand-in: listening on http://127.0.0.1:" + server.getAddress().getPort());
        Thread.sleep(30 * 60 * 1000L);
        server.stop(0);
    }

    private static void handle(HttpExchange exchange, Path dir, String expectedToken) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("POST") || !path.equals("/api/v1/publisher/upload")) {
            reply(exchange, 404, "the stand-in serves POST /api/v1/publisher/upload only, not "
                    + exchange.getRequestMethod() + " " + path);
            return;
        }
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!authorization.endsWith(" " + expectedToken)) {
            reply(exchange, 401, "the Authorization header does not carry the user token of server 'central'");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (!"USER_MANAGED".equals(query.get("publishingType"))) {
            reply(exchange, 400, "publishingType=" + query.get("publishingType")
                    + ": a deployment must wait for a maintainer to publish it (autoPublish=false)");
            return;
        }
        byte[] bundle = part(exchange, "bundle");
        if (bundle == null) {
            reply(exchange, 400, "no multipart part named 'bundle'");
            return;
        }
        Files.write(dir.resolve("bundle.zip"), bundle);
        String id = UUID.randomUUID().toString();
        Files.writeString(dir.resolve("deployment"), "id=" + id + "\nname=" + query.get("name") + "\n");
        System.err.println("portal stand-in: deployment '" + query.get("name") + "' (" + bundle.length
                + " bytes) uploaded as " + id + ", waiting to be published by hand");
        reply(exchange, 201, id);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** The content of the multipart/form-data part {@code name}, or null. */
    private static byte[] part(HttpExchange exchange, String name) throws IOException {
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        int at = type.indexOf("boundary=");
        if (!type.startsWith("multipart/form-data") || at < 0) {
            return null;
        }
        String boundary = type.substring(at + "boundary=".length()).replace("\"", "").split(";")[0].trim();
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] headersEnd = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headersStart = start + delimiter.length + 2; // past the delimiter's CRLF
            int contentStart = indexOf(body, headersEnd, headersStart);
            int next = indexOf(body, delimiter, headersStart);
            if (contentStart < 0 || next < 0) {
                return null;
            }
            String headers = new String(body, headersStart, contentStart - headersStart, StandardCharsets.ISO_8859_1);
            if (headers.contains("name=\"" + name + "\"")) {
                return Arrays.copyOfRange(body, contentStart + headersEnd.length, next - 2); // less the CRLF
            }
            start = next;
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        if (status >= 400) {
            System.err.println("portal stand-in: " + status + " " + body);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
