package io.sseline.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x client on a plain socket, for byte-exact checks: it sends one request without a body,
 * parses the status line and headers, and exposes the body with chunked transfer coding removed.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    private RawClient(Socket socket, InputStream in, int status, Map<String, String> headers) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Dechunker(in) : in;
    }

    public static RawClient get(int port, String path, Map<String, String> extraHeaders) throws IOException {
        return get(port, path, extraHeaders, 0);
    }

    /** Sends a GET and reads the response head; {@code receiveBuffer} 0 keeps the default size. */
    public static RawClient get(int port, String path, Map<String, String> extraHeaders, int receiveBuffer)
            throws IOException {
        return send(port, "GET", path, "HTTP/1.1", extraHeaders, receiveBuffer);
    }

    /**
     * Sends a request without a body with {@code method} and {@code version} ({@code HTTP/1.0} or
     * {@code HTTP/1.1}) and reads the response head. Header values are sent as their ISO-8859-1
     * bytes, so a value made with {@link #latin1(byte[])} puts exactly those bytes on the wire. A
     * {@code Host} among {@code extraHeaders} replaces the default, the loopback address and port.
     */
    public static RawClient send(
            int port, String method, String path, String version, Map<String, String> extraHeaders, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(' ')
                .append(version)
                .append("\r\n");
        if (extraHeaders.keySet().stream().noneMatch("Host"::equalsIgnoreCase)) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        request.append("Accept: text/event-stream\r\n");
        extraHeaders.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return new RawClient(socket, in, status, headers);
    }

    /** The string whose ISO-8859-1 encoding is {@code bytes}: puts raw bytes into a header value. */
    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public int status() {
        return status;
    }

    /** Response headers, names in lower case. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body, without chunked coding. */
    public InputStream body() {
        return body;
    }

    /** Reads exactly {@code n} body bytes. */
    public byte[] readBody(int n) throws IOException {
        byte[] b = body.readNBytes(n);
        if (b.length < n) {
            throw new EOFException(
                    "stream ended after " + b.length + " of " + n + " bytes: " + new String(b, StandardCharsets.UTF_8));
        }
        return b;
    }

    /** Reads the body to its end and returns it; fails if it does not end within {@code timeout}. */
    public byte[] readToEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return body.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream did not end within " + timeout, e);
        }
    }

    /**
     * Reads what follows the head, as it is on the wire, until the server closes the connection:
     * after a response without a body (to {@code HEAD}, {@code 204}), nothing.
     */
    public byte[] readRawToEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection did not close within " + timeout, e);
        }
    }

    public Socket socket() {
        return socket;
    }

    /** Resets the connection (RST instead of FIN), as a crashed client or a cut network does. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the response head: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Removes HTTP/1.1 chunked transfer coding (RFC 9112, section 7.1). */
    private static final class Dechunker extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean afterData;
        private boolean ended;

        Dechunker(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            if (remaining == 0) {
                if (afterData) {
                    // The CRLF that ends the previous chunk's data. Read lazily: some servers send it
                    // only with the next chunk.
                    readLine(in);
                    afterData = false;
                }
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                remaining = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (remaining == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailer fields
                    }
                    ended = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            remaining -= n;
            afterData = remaining == 0;
            return n;
        }
    }
}
