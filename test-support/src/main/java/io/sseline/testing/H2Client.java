package io.sseline.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A low-level HTTP/2 client (Jetty's) for what the JDK's client cannot do: h2c with prior knowledge,
 * any method, resetting one stream or sending GOAWAY in the middle of a response, and not reading so
 * that the server's flow-control window fills.
 */
public final class H2Client implements AutoCloseable {
    /** The client's receive windows: small, so that a client that stops reading stalls the server soon. */
    private static final int WINDOW = 64 * 1024;

    private final HTTP2Client client;
    private final Session session;
    private final String authority;
    private final boolean tls;

    private H2Client(HTTP2Client client, Session session, String authority, boolean tls) {
        this.client = client;
        this.session = session;
        this.authority = authority;
        this.tls = tls;
    }

    /** Connects to a loopback {@code port}: h2c with prior knowledge, or h2 over TLS chosen by ALPN. */
    public static H2Client connect(int port, boolean tls) throws Exception {
        HTTP2Client client = new HTTP2Client();
        client.setInitialStreamRecvWindow(WINDOW);
        client.setInitialSessionRecvWindow(WINDOW * 4);
        SslContextFactory.Client ssl = new SslContextFactory.Client(true); // trusts the test certificate
        ssl.setEndpointIdentificationAlgorithm(null);
        client.getClientConnector().setSslContextFactory(ssl);
        client.start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            Session.Listener listener = new Session.Listener() {};
            CompletableFuture<Session> session;
            if (tls) {
                session = client.connect(ssl, address, listener);
            } else {
                session = client.connect(address, listener);
            }
            return new H2Client(client, session.get(10, TimeUnit.SECONDS), "127.0.0.1:" + port, tls);
        } catch (Exception e) {
            client.stop();
            throw e;
        }
    }

    /** Sends a request without a body; {@code read} false leaves the response body unread. */
    public Exchange request(String method, String path, Map<String, String> headers, boolean read) throws Exception {
        HttpFields.Mutable fields = HttpFields.build();
        headers.forEach(fields::add);
        MetaData.Request request = new MetaData.Request(
                method, HttpURI.build((tls ? "https://" : "http://") + authority + path), HttpVersion.HTTP_2, fields);
        Exchange exchange = new Exchange(read);
        Stream stream = session.newStream(new HeadersFrame(request, null, true), exchange)
                .get(10, TimeUnit.SECONDS);
        exchange.stream = stream;
        return exchange;
    }

    public Exchange request(String method, String path) throws Exception {
        return request(method, path, Map.of(), true);
    }

    /**
     * Sends GOAWAY, then closes the connection once the frame is written, as a browser does when it
     * gives a connection up (GOAWAY alone lets the streams already open go on); {@code reset} closes
     * it with a TCP reset, as a crashed client or a cut network does, instead of FIN.
     */
    public void goAwayAndDisconnect(boolean reset) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.close(
                ErrorCode.NO_ERROR.code,
                "going away",
                Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        try {
            sent.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException closedMeanwhile) {
            // The server answered GOAWAY by closing the connection first (Tomcat does): gone already.
        }
        EndPoint endPoint = ((HTTP2Session) session).getEndPoint();
        if (reset && endPoint.getTransport() instanceof SocketChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (ClosedChannelException closedMeanwhile) {
                return; // the server closed it first
            }
        }
        endPoint.close();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP/2 client did not stop", e);
        }
    }

    /** One request's response, recorded as it arrives. */
    public static final class Exchange implements Stream.Listener {
        private final CompletableFuture<MetaData.Response> head = new CompletableFuture<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final boolean read;
        private volatile boolean resetByServer;
        volatile Stream stream;

        Exchange(boolean read) {
            this.read = read;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response) {
                head.complete(response);
            }
            if (frame.isEndStream()) {
                ended.complete(null);
            } else if (read) {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer buffer = data.frame().getByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            synchronized (body) {
                body.write(bytes, 0, bytes.length);
            }
            boolean last = data.frame().isEndStream();
            data.release();
            if (last) {
                ended.complete(null);
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            resetByServer = true;
            ended.complete(null);
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            ended.complete(null);
            callback.succeeded();
        }

        /** The response head; fails after {@code timeout}. */
        public MetaData.Response response(Duration timeout) throws Exception {
            return head.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public int status(Duration timeout) throws Exception {
            return response(timeout).getStatus();
        }

        /** Completes when the server ends or resets the stream. */
        public CompletableFuture<Void> ended() {
            return ended;
        }

        public boolean resetByServer() {
            return resetByServer;
        }

        /** The body bytes received so far. */
        public byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        /** Resets the stream (RST_STREAM with CANCEL), as a browser does when a tab closes. */
        public void reset() {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }
    }
}
