package io.sseline.examples.chat;

import io.sseline.examples.cli.CommandLines;
import io.sseline.examples.web.RequestGate;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The chat demo: an embedded Jetty 12 server with the chat page, its event streams and the {@code
 * ping} stream.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder().port(0).build().start()) {
 *     System.out.println("open " + server.uri());
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code GET /} the page; {@code GET /sse?room=lobby&name=ada} the room's events
 * ({@link ChatRooms}); {@code POST /messages} a message ({@link MessageRequest}), answered with
 * {@code 202} or {@code 400}; {@code GET /ping} the tutorial's two-second stream.
 *
 * <p>Two connectors: plain {@code http} speaks HTTP/1.1 and h2c (HTTP/2 without TLS, which
 * browsers do not use but {@code curl --http2-prior-knowledge} and {@code java.net.http} do); {@code
 * https} speaks HTTP/2 and HTTP/1.1, chosen by ALPN, with a {@link DevCertificate} made at start-up.
 * Browsers allow six HTTP/1.1 connections per host, so a seventh chat tab over {@code http} waits for
 * a free connection; over {@code https} every tab is one stream of a single HTTP/2 connection.
 *
 * <p><b>Several nodes.</b> With {@link Builder#redis}, the rooms' messages, history and {@code
 * Last-Event-ID} replay go through one Redis stream ({@link RedisBackplane}) that every node started
 * with the same Redis and {@link Builder#redisKey} shares: a message posted on one node reaches the
 * clients of all, and a client that reconnects to another node resumes where it left off. Presence
 * ({@code join}, {@code leave}, the numbers online) stays per node.
 *
 * <pre>{@code
 * ChatServer nodeA = ChatServer.builder().port(8080).redis("redis://127.0.0.1:6379").start();
 * ChatServer nodeB = ChatServer.builder().port(8081).httpsPort(8444).redis("redis://127.0.0.1:6379").start();
 * }</pre>
 *
 * <p>{@link #start()} and {@link #close()} may be called from any thread; a server is started once.
 */
public final class ChatServer implements AutoCloseable {
    /** The port of the {@code http} connector unless configured otherwise. */
    public static final int DEFAULT_PORT = 8080;
    /** The port of the {@code https} connector unless configured otherwise. */
    public static final int DEFAULT_HTTPS_PORT = 8443;
    /** The Redis stream the rooms share unless configured otherwise. */
    public static final String DEFAULT_REDIS_KEY = "chat:events";
    /** The most rooms live at once unless configured otherwise. */
    public static final int DEFAULT_MAX_ROOMS = 1000;

    private final Builder options;
    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;
    private final DevCertificate certificate;
    private final EventStreams streams;
    private final ChatRooms rooms;
    private final ScheduledExecutorService scheduler;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ChatServer(Builder options) throws IOException {
        this.options = options;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("chat");
        this.server = new Server(threads);
        // close() ends the event streams first (EventStreams#shutdown); Jetty then stops at once
        // rather than waiting for idle keep-alive connections.
        server.setStopTimeout(0);

        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        this.http = new ServerConnector(
                server, new HttpConnectionFactory(httpConfig), new HTTP2CServerConnectionFactory(httpConfig));
        http.setHost(options.host);
        http.setPort(options.port);
        server.addConnector(http);

        if (options.httpsPort >= 0) {
            this.certificate = DevCertificate.generate();
            this.https = httpsConnector(server, httpConfig, certificate);
            https.setHost(options.host);
            https.setPort(options.httpsPort);
            server.addConnector(https);
        } else {
            this.certificate = null;
            this.https = null;
        }

        this.streams = EventStreams.create(EventStreamConfig.builder()
                .heartbeatInterval(options.heartbeatInterval)
                .asyncTimeout(Duration.ZERO)
                .build());
        this.rooms = rooms(streams, options);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chat-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            server.setHandler(context(
                    rooms,
                    new PingServlet(streams, scheduler, options.pingInterval),
                    RequestGate.builder()
                            .allowedHosts(options.allowedHosts())
                            .methods("/messages", "POST")
                            .hostHint("; start it with --allowed-hosts {host} to allow it")
                            .build(),
                    options.bodyReadTimeout));
        } catch (IOException | RuntimeException e) {
            rooms.close();
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * The rooms on their log: one in memory, or the Redis stream that the nodes share. The log keeps
     * enough entries, over all rooms, for many rooms' recent history and reconnections; the hub
     * rewinds a room's recent history for each new client.
     *
     * @throws IOException if Redis cannot be reached
     */
    private static ChatRooms rooms(EventStreams streams, Builder options) throws IOException {
        int maxEntries = (int) Math.min(Math.max(10_000L, options.historySize * 100L), Integer.MAX_VALUE);
        EventHub.Builder hub = EventHub.builder().rewind(options.historySize);
        RedisBackplane redis = null;
        if (options.redis == null) {
            hub.maxEntries(maxEntries);
        } else {
            try {
                redis = RedisBackplane.builder()
                        .uri(options.redis)
                        .streamKey(options.redisKey)
                        .maxEntries(maxEntries)
                        .build();
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            hub.backplane(redis);
        }
        EventHub started;
        try {
            started = hub.build();
        } catch (RuntimeException e) { // the hub could not start tailing the stream
            if (redis != null) {
                redis.close();
            }
            throw new IOException("the chat's log did not start: " + e.getMessage(), e);
        }
        return new ChatRooms(
                streams, started, options.historySize, options.maxRooms, options.clock, options.reconnectDelay);
    }

    /** TLS, then ALPN choosing HTTP/2 or HTTP/1.1, with the development certificate. */
    private static ServerConnector httpsConnector(Server server, HttpConfiguration plain, DevCertificate certificate) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificate.keyStore());
        tls.setKeyStorePassword(certificate.password());
        HttpConfiguration httpsConfig = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // the certificate names localhost; allow 127.0.0.1 too
        httpsConfig.addCustomizer(secure);
        HttpConnectionFactory http11 = new HttpConnectionFactory(httpsConfig);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(httpsConfig);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        return new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
    }

    /** The servlet context: the page's files from the class path, and the three endpoints, behind the gate. */
    private static ServletContextHandler context(
            ChatRooms rooms, PingServlet ping, RequestGate gate, Duration bodyReadTimeout) throws IOException {
        ServletContextHandler context = new ServletContextHandler("/");
        Resource web = ResourceFactory.of(context).newClassLoaderResource("io/sseline/examples/chat/web/");
        if (web == null) {
            throw new IOException("the chat page is missing from the class path (io/sseline/examples/chat/web/)");
        }
        context.setBaseResource(web);
        context.setWelcomeFiles(new String[] {"index.html"});
        ServletHolder files = new ServletHolder("files", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");
        ServletHolder sse = new ServletHolder("sse", new ChatStreamServlet(rooms));
        sse.setAsyncSupported(true); // event streams are asynchronous
        context.addServlet(sse, "/sse");
        ServletHolder messages = new ServletHolder("messages", new MessagesServlet(rooms, bodyReadTimeout));
        messages.setAsyncSupported(true); // bodies are read with non-blocking I/O
        context.addServlet(messages, "/messages");
        ServletHolder pings = new ServletHolder("ping", ping);
        pings.setAsyncSupported(true);
        context.addServlet(pings, "/ping");
        FilterHolder gateHolder = new FilterHolder(gate);
        gateHolder.setAsyncSupported(true);
        context.addFilter(gateHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    /** Returns a builder with the defaults: {@code localhost}, ports 8080 and 8443. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the demo until the process is stopped. {@code --help} lists the options: the ports, the
     * host, the allowed hosts and the Redis to share the rooms through, each also settable by a
     * system property or an environment variable (the flag wins, then the property, then the
     * variable). Exits with {@code 2} for a wrong command line and {@code 1} when the server does not
     * start.
     */
    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.getProperties(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the demo with this command line, system properties and environment, printing to these
     * streams; returns the exit status once the server stops, or at once for help or a usage error.
     */
    static int run(String[] args, Map<String, String> env, Properties properties, PrintStream out, PrintStream err) {
        ChatServerOptions options = new ChatServerOptions(env, properties);
        return CommandLines.execute(options.commandLine(), args, out, err, () -> serve(options.builder(), out, err));
    }

    /** Starts a server, prints where to find it and waits until the process is stopped. */
    private static int serve(Builder builder, PrintStream out, PrintStream err) {
        ChatServer server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            err.println("chat: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "chat-shutdown"));
        server.printBanner(out);
        try {
            server.awaitStop();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            return 130;
        }
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws IOException if a port is taken or the server fails to start
     */
    public ChatServer start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("the chat server failed to start: " + e.getMessage(), e);
        }
        return this;
    }

    /** The page's address over plain {@code http}, for example {@code http://localhost:8080/}. */
    public URI uri() {
        return URI.create("http://" + hostForUri() + ":" + http.getLocalPort() + "/");
    }

    /** The page's address over {@code https}, unless TLS is off. */
    public Optional<URI> secureUri() {
        return https == null
                ? Optional.empty()
                : Optional.of(URI.create("https://" + hostForUri() + ":" + https.getLocalPort() + "/"));
    }

    /** The development certificate the {@code https} connector presents, unless TLS is off. */
    public Optional<X509Certificate> certificate() {
        return certificate == null ? Optional.empty() : Optional.of(certificate.certificate());
    }

    /** The rooms: who is online, the history. */
    public ChatRooms rooms() {
        return rooms;
    }

    /** The event streams of every endpoint: how many are open. */
    EventStreams streams() {
        return streams;
    }

    /** Blocks until {@link #close()} has stopped the server. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Prints where to find the demo. */
    public void printBanner(PrintStream out) {
        out.println("sseline chat is running. Open " + uri() + " in a browser (HTTP/1.1).");
        secureUri().ifPresent(secure -> {
            out.println("Over HTTP/2: " + secure + " (a development certificate made at start-up;"
                    + " accept the browser's warning once)");
            out.println("  certificate SHA-256 " + certificate.fingerprint());
        });
        if (options.redis != null) {
            out.println("Rooms shared through Redis at " + options.redis + ", stream " + options.redisKey
                    + ": start more nodes with the same --redis (and other ports).");
        }
        out.println("The ping stream: " + uri() + "ping   Stop with Ctrl+C.");
    }

    /**
     * Closes every event stream (clients see the stream end and reconnect), then stops Jetty.
     * Idempotent.
     */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            streams.shutdown(Duration.ofSeconds(1));
            rooms.close();
            server.stop();
        } catch (Exception e) {
            System.getLogger(ChatServer.class.getName())
                    .log(System.Logger.Level.WARNING, "the chat server did not stop cleanly", e);
        } finally {
            scheduler.shutdownNow();
            stopped.countDown();
        }
    }

    private String hostForUri() {
        String host = options.host == null || options.host.isEmpty() || options.host.equals("0.0.0.0")
                ? "localhost"
                : options.host;
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * Options for a {@link ChatServer}. Not thread-safe.
     *
     * <pre>{@code
     * ChatServer server = ChatServer.builder().port(0).httpsPort(-1).historySize(100).build();
     * }</pre>
     */
    public static final class Builder {
        private String host = "localhost";
        private int port = DEFAULT_PORT;
        private int httpsPort = DEFAULT_HTTPS_PORT;
        private int historySize = 100;
        private Duration pingInterval = Duration.ofSeconds(2);
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration reconnectDelay = Duration.ofSeconds(1);
        private Clock clock = Clock.systemDefaultZone();
        private String redis;
        private String redisKey = DEFAULT_REDIS_KEY;
        private int maxRooms = DEFAULT_MAX_ROOMS;
        private Duration bodyReadTimeout = Duration.ofSeconds(10);
        private List<String> allowedHosts = List.of();

        private Builder() {}

        /** The interface to listen on; {@code localhost} by default, {@code 0.0.0.0} for every one. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port of the {@code http} connector; {@code 0} picks a free one. Default {@value
         * #DEFAULT_PORT}.
         */
        public Builder port(int port) {
            this.port = checkPort("port", port, false);
            return this;
        }

        /**
         * The port of the {@code https} connector; {@code 0} picks a free one, {@code -1} turns TLS
         * off. Default {@value #DEFAULT_HTTPS_PORT}.
         */
        public Builder httpsPort(int port) {
            this.httpsPort = checkPort("httpsPort", port, true);
            return this;
        }

        /** How many recent messages per room a new client receives and a reconnecting one may resume in. */
        public Builder historySize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("historySize must be at least 1: " + size);
            }
            this.historySize = size;
            return this;
        }

        /**
         * The most rooms live at once: rooms with a client connected. A client that asks for another
         * room gets {@code 429}; a room is freed when its last client leaves. Default {@value
         * #DEFAULT_MAX_ROOMS}.
         */
        public Builder maxRooms(int rooms) {
            if (rooms < 1) {
                throw new IllegalArgumentException("maxRooms must be at least 1: " + rooms);
            }
            this.maxRooms = rooms;
            return this;
        }

        /**
         * How long a client may take to send the whole body of {@code POST /messages}; after it, the
         * answer is {@code 408} and the connection closes. Bodies are read without holding a thread,
         * so this bounds connections, not threads. Default 10 s.
         */
        public Builder bodyReadTimeout(Duration timeout) {
            this.bodyReadTimeout = positive("bodyReadTimeout", timeout);
            return this;
        }

        /**
         * The hosts the chat answers for, besides {@code localhost}, {@code 127.0.0.1}, {@code ::1}
         * and the {@link #host} it listens on: a request whose {@code Host} names another gets {@code
         * 403}, which stops DNS rebinding (a web page whose name points at this machine). {@code "*"}
         * allows any host. Names are compared without case; IPv6 addresses without brackets.
         */
        public Builder allowedHosts(Collection<String> hosts) {
            List<String> copy = new ArrayList<>();
            for (String host : hosts) {
                String h = Objects.requireNonNull(host, "host").strip().toLowerCase(Locale.ROOT);
                if (h.startsWith("[") && h.endsWith("]")) {
                    h = h.substring(1, h.length() - 1);
                }
                if (h.isEmpty()) {
                    throw new IllegalArgumentException("allowedHosts must not contain an empty name");
                }
                copy.add(h);
            }
            this.allowedHosts = List.copyOf(copy);
            return this;
        }

        /** The hosts the gate lets through: the defaults, the listening host, and the allowed ones. */
        Set<String> allowedHosts() {
            Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
            String listening = host.toLowerCase(Locale.ROOT);
            if (!listening.isEmpty() && !listening.equals("0.0.0.0") && !listening.equals("::")) {
                hosts.add(listening.startsWith("[") ? listening.substring(1, listening.length() - 1) : listening);
            }
            hosts.addAll(allowedHosts);
            return hosts;
        }

        /** The time between two pings of {@code /ping}. Default 2 s. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive("pingInterval", interval);
            return this;
        }

        /**
         * The time after which an idle stream gets a comment. It keeps proxies from closing the stream,
         * and it is how the server notices a client that went away without a word (a closed tab over
         * HTTP/1.1 is seen at the first or second write after it), which the others then see as a
         * {@code leave}. Default 5 s.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive("heartbeatInterval", interval);
            return this;
        }

        /** The reconnection time sent to clients ({@code retry:}). Default 1 s. */
        public Builder reconnectDelay(Duration delay) {
            this.reconnectDelay = positive("reconnectDelay", delay);
            return this;
        }

        /** The clock for message timestamps, in its zone. Default the system clock and zone. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Shares the rooms through the Redis at {@code uri} (such as {@code redis://127.0.0.1:6379}):
         * every node started with the same Redis and {@link #redisKey} serves the same rooms, with
         * their history and replay. Default none: the rooms live in this process.
         *
         * @throws IllegalArgumentException if {@code uri} is not a Redis URI
         */
        public Builder redis(String uri) {
            Objects.requireNonNull(uri, "uri");
            RedisBackplane.builder().uri(uri); // checks it now, not at build
            this.redis = uri;
            return this;
        }

        /**
         * The key of the Redis stream the rooms share; the same on every node. Default {@value
         * #DEFAULT_REDIS_KEY}.
         *
         * @throws IllegalArgumentException if {@code key} is empty
         */
        public Builder redisKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("redisKey must not be empty");
            }
            this.redisKey = key;
            return this;
        }

        /**
         * Returns a server with these options, not yet started.
         *
         * @throws IOException if the development certificate cannot be made, or Redis cannot be
         *     reached
         */
        public ChatServer build() throws IOException {
            return new ChatServer(copy());
        }

        /** Starts a server with these options; see {@link ChatServer#start()}. */
        public ChatServer start() throws IOException {
            return build().start();
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.host = host;
            copy.port = port;
            copy.httpsPort = httpsPort;
            copy.historySize = historySize;
            copy.pingInterval = pingInterval;
            copy.heartbeatInterval = heartbeatInterval;
            copy.reconnectDelay = reconnectDelay;
            copy.clock = clock;
            copy.redis = redis;
            copy.redisKey = redisKey;
            copy.maxRooms = maxRooms;
            copy.bodyReadTimeout = bodyReadTimeout;
            copy.allowedHosts = allowedHosts;
            return copy;
        }

        private static int checkPort(String name, int port, boolean allowOff) {
            if (port > 65535 || port < (allowOff ? -1 : 0)) {
                throw new IllegalArgumentException(name + " must be between "
                        + (allowOff ? "-1 (off)" : "0 (any free port)") + " and 65535: " + port);
            }
            return port;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
