package io.sseline.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP clients that carry the requests of event sources, and which of them carries the next one.
 *
 * <p>{@code HttpClient} puts every HTTP/2 request to one origin on one connection and fails those
 * beyond the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} with {@code IOException: too many
 * concurrent streams} (JDK-8225647) instead of opening another connection. So the pool keeps, for
 * each origin, a list of <i>lanes</i>: clients with the number of streams each carries. The first
 * lane of every origin is one shared client (HTTP/1.1 opens a connection per stream anyway, so most
 * origins need no other). A lane takes one request until the first response on it arrives, since
 * requests sent at once to a client without a connection would each open one of their own, and
 * since the client learns the server's limit only from the SETTINGS frame that precedes that
 * response: until then it counts against no limit at all, and a burst of requests on a fresh
 * connection is refused by the server (REFUSED_STREAM), which some servers answer with GOAWAY for
 * the whole connection. A server may hold a response's headers back until its first event, so an
 * unanswered lane does not hold its waiters for good: each second that its requests go unanswered
 * (ten once the origin has shown its HTTP/2 limit), it takes twice as many as before ({@link
 * Lease#patienceExpired()}). Once answered over HTTP/2, a lane whose limit is not known yet carries
 * 100 streams, and twice as many as it has answers beyond that, so that its client refuses a few
 * dozen requests, not every one that waits, before the lane learns its limit; answered over
 * HTTP/1.1, it takes every request. When a client refuses a stream, the pool takes the number it
 * carried as that lane's limit, and the request moves at once, unreported, to a lane with room or
 * to a new client from the factory, which then takes as many streams as the first did.
 *
 * <p>A pool made for one client cannot grow: a request it cannot place waits until a stream of that
 * origin ends. There, a refusal within a limit the lane already showed is the client's count lagging
 * a moment behind a reset stream, and the request tries again after a few milliseconds.
 *
 * <p>Lanes beyond the first are dropped when their last stream ends, and an origin's entry when none
 * of its lanes carries a stream; a dropped client's connections and selector thread end when it is
 * garbage collected. Thread-safe; {@link #lock} guards all state, and no callback runs under it.
 */
public final class HttpClientPool {
    private static final System.Logger LOG = System.getLogger(HttpClientPool.class.getName());

    /**
     * How long a request on a lane without a response waits for its own before the lane takes twice
     * as many, while the origin's protocol is not known: a server may hold the headers of a stream
     * back until its first event, and over HTTP/1.1 such a request holds up nobody else.
     */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The same on a lane of an origin that has shown its HTTP/2 stream limit: its client will carry
     * the lane's streams as soon as its connection is up, and every request sent before that would
     * open a connection of its own (thousands of them, at 10,000 sources under load, where a
     * response can take seconds). Only sources whose server holds headers back wait longer.
     */
    static final long HTTP2_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * How many streams a lane answered over HTTP/2 carries before it has shown a limit or as many
     * answers as half its streams: the smallest limit that RFC 9113 recommends a server to allow.
     * Beyond that it takes twice as many streams as it has answers, so that its client refuses a few
     * dozen requests, not every request that waits, before the lane learns its limit.
     */
    static final int UNKNOWN_LIMIT_STREAMS = 100;

    private final Supplier<? extends HttpClient> factory;
    private final boolean canGrow;
    private final String description;

    private final Object lock = new Object();
    // Guarded by lock.
    private @Nullable HttpClient shared;
    private final Map<String, Origin> origins = new HashMap<>();

    private HttpClientPool(Supplier<? extends HttpClient> factory, boolean canGrow, String description) {
        this.factory = factory;
        this.canGrow = canGrow;
        this.description = description;
    }

    /** A pool of the one client {@code client}: requests beyond its stream limit wait. */
    public static HttpClientPool of(HttpClient client) {
        requireNoRedirects(client, "EventSource.Builder#httpClient");
        return new HttpClientPool(() -> client, false, "the HttpClient given to EventSource.Builder#httpClient");
    }

    /** A pool that asks {@code factory} for a client whenever it needs one more. */
    public static HttpClientPool growing(Supplier<? extends HttpClient> factory, String description) {
        return new HttpClientPool(factory, true, description);
    }

    /**
     * Whether {@code error} is a client's refusal to open a stream beyond the server's limit, as
     * {@code HttpClient} words it on JDK 17 to 25.
     */
    public static boolean isStreamLimitRefusal(Throwable error) {
        return error instanceof IOException
                && error.getMessage() != null
                && error.getMessage().contains("too many concurrent streams");
    }

    /**
     * Finds a lane for a request to {@code uri} and hands it to the waiter: at once on this thread, or
     * later on the thread that ends another stream of that origin or learns that its connection is
     * up. Returns a handle that withdraws the request if it still waits.
     */
    public Waiter acquire(URI uri, Consumer<Lease> granted, Consumer<RuntimeException> failed) {
        Waiter waiter = new Waiter(originOf(uri), granted, failed);
        List<Runnable> grants;
        synchronized (lock) {
            try {
                Origin origin =
                        origins.computeIfAbsent(waiter.origin, key -> new Origin(key, new Lane(sharedClient())));
                origin.waiting.add(waiter);
                grants = origin.grantWaiters();
                origin.warnIfWaiting(waiter);
            } catch (RuntimeException e) { // the factory failed, or made a client that follows redirects
                grants = List.of(() -> failed.accept(e));
            }
        }
        grants.forEach(Runnable::run);
        return waiter;
    }

    private HttpClient sharedClient() {
        HttpClient client = shared;
        if (client == null) {
            client = newClient();
            shared = client;
        }
        return client;
    }

    private HttpClient newClient() {
        HttpClient client = Objects.requireNonNull(factory.get(), "the HttpClient factory returned null");
        requireNoRedirects(client, description);
        return client;
    }

    private static void requireNoRedirects(HttpClient client, String what) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException(what + " follows redirects (" + client.followRedirects()
                    + "), which would send every header of the request to wherever a server points it;"
                    + " build it with followRedirects(HttpClient.Redirect.NEVER): the event source follows"
                    + " redirects itself, and leaves credentials behind on the way to another origin");
        }
    }

    /** The origin of an absolute http(s) URI: scheme, host and port, the default port made explicit. */
    static String originOf(URI uri) {
        String scheme = Objects.requireNonNull(uri.getScheme(), "scheme").toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + Objects.requireNonNull(uri.getHost(), "host").toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The streams of one origin over its lanes, and the requests waiting for room. Guarded by lock. */
    private final class Origin {
        final String key;
        final List<Lane> lanes = new ArrayList<>();
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        /** The last stream limit a lane of this origin showed; new lanes start with it. */
        int learnedLimit = Integer.MAX_VALUE;

        private boolean warned;

        Origin(String key, Lane first) {
            this.key = key;
            lanes.add(first);
        }

        /**
         * Places waiters, first come first served, on lanes with room, adding a lane when none has
         * room and none awaits answers that would give it more; returns the grants to run once the
         * lock is released.
         */
        List<Runnable> grantWaiters() {
            List<Runnable> grants = new ArrayList<>();
            while (!waiting.isEmpty()) {
                Lane lane = null;
                boolean probing = false;
                for (Lane candidate : lanes) {
                    if (candidate.hasRoom()) {
                        lane = candidate;
                        break;
                    }
                    probing |= candidate.awaitsAnswers();
                }
                if (lane == null && canGrow && !probing) {
                    try {
                        lane = new Lane(newClient());
                    } catch (RuntimeException e) { // the factory failed, or made a client that follows redirects
                        Waiter next = waiting.poll();
                        grants.add(() -> next.failed.accept(e));
                        continue;
                    }
                    lane.limit = learnedLimit;
                    lanes.add(lane);
                }
                if (lane == null) {
                    break;
                }
                Waiter next = waiting.poll();
                Lease lease = lane.take(this);
                grants.add(() -> next.granted.accept(lease));
            }
            return grants;
        }

        /** Says once, for a single client, that requests wait because its connection is full. */
        void warnIfWaiting(Waiter waiter) {
            if (!canGrow && !warned && waiting.contains(waiter) && lanes.get(0).confirmed) {
                warned = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0} carries {1} streams to {2}, as many as the server allows on one HTTP/2"
                                + " connection; further event sources wait until one of them ends. Give"
                                + " EventSource.Builder#httpClients a factory, or leave the client to the"
                                + " default, to open more connections",
                        description,
                        lanes.get(0).active,
                        key);
            }
        }

        /**
         * One stream of {@code lane} ended: its room goes to the waiters, or what is now idle is
         * dropped. Returns the grants to run once the lock is released.
         */
        List<Runnable> ended(Lane lane) {
            lane.active--;
            List<Runnable> grants = grantWaiters();
            if (lane.active == 0 && lanes.get(0) != lane) {
                lanes.remove(lane);
            }
            if (waiting.isEmpty() && lanes.size() == 1 && lanes.get(0).active == 0) {
                origins.remove(key);
            }
            return grants;
        }
    }

    /**
     * One client and the streams it carries for one origin. Until the first response on it arrives
     * ({@link #confirmed}), a lane carries one request: sent together, the requests to a client
     * without a connection would each open one (the JDK pools a connection only once it is up),
     * where one connection carries up to the server's limit. Guarded by lock.
     */
    private final class Lane {
        final HttpClient client;
        int active;
        /** How many streams the server allows on this client's connection, once it refused one. */
        int limit = Integer.MAX_VALUE;
        /** Whether a response arrived on this lane, so that its client knows the server's limit. */
        boolean confirmed;
        /**
         * How many requests the lane carries while it is not {@link #confirmed}: 1, doubled each time
         * its requests go unanswered for the patience the source gives them.
         */
        int unconfirmedAllowance = 1;
        /** Responses that arrived on this lane, one per request. */
        int answers;
        /** Whether a response came over HTTP/1.1, where each stream has a connection and no limit. */
        boolean http1;

        Lane(HttpClient client) {
            this.client = client;
        }

        /**
         * Whether answers on this lane would let it carry more: it has none yet, or it was answered
         * over HTTP/2 and has not shown its limit. The pool then adds no lane for the origin.
         */
        boolean awaitsAnswers() {
            return !confirmed || (limit == Integer.MAX_VALUE && !http1);
        }

        boolean hasRoom() {
            if (!confirmed) {
                return active < Math.min(limit, unconfirmedAllowance);
            }
            if (limit != Integer.MAX_VALUE) {
                return active < limit;
            }
            return http1 || active < Math.max(UNKNOWN_LIMIT_STREAMS, 2L * answers);
        }

        Lease take(Origin origin) {
            active++;
            return new Lease(
                    origin, this, limit != Integer.MAX_VALUE && active <= limit, !confirmed, unconfirmedAllowance);
        }
    }

    /** A request that asked for a lane; {@link #cancel()} withdraws it while it waits. */
    public final class Waiter {
        final String origin;
        final Consumer<Lease> granted;
        final Consumer<RuntimeException> failed;

        Waiter(String origin, Consumer<Lease> granted, Consumer<RuntimeException> failed) {
            this.origin = origin;
            this.granted = granted;
            this.failed = failed;
        }

        /** Withdraws this request if it still waits; does nothing once a lane was granted. */
        public void cancel() {
            synchronized (lock) {
                Origin o = origins.get(origin);
                if (o != null
                        && o.waiting.remove(this)
                        && o.waiting.isEmpty()
                        && o.lanes.size() == 1
                        && o.lanes.get(0).active == 0) {
                    origins.remove(origin);
                }
            }
        }
    }

    /** The right to send one request on one lane; ends with {@link #release()} or {@link #refused(boolean)}. */
    public final class Lease {
        private final Origin origin;
        private final Lane lane;
        /** Whether the lane had a known limit, and room under it, when this stream was taken. */
        private final boolean withinKnownLimit;
        /** Whether the lane had no response yet when this was taken: the others wait for its answer. */
        private final boolean probe;
        /** The lane's {@link Lane#unconfirmedAllowance} when this was taken. */
        private final int allowance;
        /** See {@link #patienceNanos()}; fixed when taken, under the lock that guards the lane. */
        private final long patienceNanos;
        // Guarded by lock.
        private boolean ended;
        /** Whether {@link #confirm(HttpClient.Version)} counted the answer to this request. */
        private boolean answered;

        Lease(Origin origin, Lane lane, boolean withinKnownLimit, boolean probe, int allowance) {
            this.origin = origin;
            this.lane = lane;
            this.withinKnownLimit = withinKnownLimit;
            this.probe = probe;
            this.allowance = allowance;
            this.patienceNanos = lane.limit == Integer.MAX_VALUE ? PATIENCE_NANOS : HTTP2_PATIENCE_NANOS;
        }

        /**
         * How long this request, if it is a {@link #probe()}, waits for its answer before {@link
         * #patienceExpired()}.
         */
        public long patienceNanos() {
            return patienceNanos;
        }

        /**
         * Whether this request went on a lane without a response yet: call {@link
         * #confirm(HttpClient.Version)} when it is answered, and {@link #patienceExpired()} if it is
         * not answered in time.
         */
        public boolean probe() {
            return probe;
        }

        /**
         * This request has waited for its response longer than {@link #patienceNanos()}, and none
         * arrived on its lane meanwhile: the lane takes twice as many requests as it did when this
         * one was granted, not every request that waits. Those are a few more than the lane carries,
         * not a burst: the client may have a connection whose server has not said its stream limit
         * yet, or none, in which case each request opens a connection of its own. Does nothing once
         * the lane is confirmed, or when another request's patience already doubled it.
         */
        public void patienceExpired() {
            List<Runnable> grants;
            synchronized (lock) {
                if (lane.confirmed || lane.unconfirmedAllowance != allowance) {
                    return;
                }
                lane.unconfirmedAllowance = allowance > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : allowance * 2;
                grants = origin.grantWaiters();
            }
            grants.forEach(Runnable::run);
        }

        /**
         * A response to this request arrived, so its client has a connection that further requests
         * share and knows the server's stream limit on it; until the lane shows that limit, each
         * answer lets it carry more ({@link #UNKNOWN_LIMIT_STREAMS}). Idempotent.
         */
        public void confirm(HttpClient.Version version) {
            List<Runnable> grants;
            synchronized (lock) {
                if (answered) {
                    return;
                }
                answered = true;
                lane.answers++;
                lane.http1 |= version == HttpClient.Version.HTTP_1_1;
                boolean roomBefore = lane.confirmed && lane.limit != Integer.MAX_VALUE;
                lane.confirmed = true;
                if (roomBefore || origin.waiting.isEmpty()) {
                    return; // an answer changes nothing for a lane that has shown its limit
                }
                grants = origin.grantWaiters();
            }
            grants.forEach(Runnable::run);
        }

        /** The client to send the request with. */
        public HttpClient client() {
            return lane.client;
        }

        /** The request's exchange is over. Idempotent. */
        public void release() {
            List<Runnable> grants;
            synchronized (lock) {
                if (ended) {
                    return;
                }
                ended = true;
                grants = origin.ended(lane);
            }
            grants.forEach(Runnable::run);
        }

        /**
         * The client refused the request for the server's stream limit ({@link
         * #isStreamLimitRefusal}); ends this lease and says what to do with the request.
         *
         * <p>A refusal teaches the lane its limit: the streams it carries besides this one; the
         * request goes elsewhere at once. But a single client cannot grow, and there a refusal within
         * a limit the lane had already shown is mostly the client lagging behind the pool: a stream
         * that ended here (a reset, say) still counts there for a moment, and if the request waited
         * for the next stream to end instead, it might wait for good. So it tries again shortly, and
         * the limit stays, unless {@code persistent}: the server may have lowered its limit, which
         * the lane then learns. (A pool that can grow takes the lower limit at once; at worst it opens
         * a connection early.)
         */
        public Refusal refused(boolean persistent) {
            List<Runnable> grants;
            Refusal refusal;
            synchronized (lock) {
                if (ended) {
                    return Refusal.FAIL;
                }
                ended = true;
                if (lane.active <= 1) {
                    refusal = Refusal.FAIL; // alone on the connection: the limit is not ours
                } else if (!canGrow && withinKnownLimit && !persistent) {
                    refusal = Refusal.RETRY_SOON;
                } else {
                    lane.limit = Math.min(lane.limit, lane.active - 1);
                    origin.learnedLimit = lane.limit;
                    refusal = Refusal.MOVE;
                }
                grants = origin.ended(lane);
            }
            grants.forEach(Runnable::run);
            return refusal;
        }
    }

    /** What to do with a request that a client refused for the server's stream limit. */
    public enum Refusal {
        /** Ask for a lane again at once: the refusing one is full. */
        MOVE,
        /** Ask for a lane again after a short pause: the client still counts a stream that ended. */
        RETRY_SOON,
        /** Report the refusal as the failure of the attempt: the request was alone on its connection. */
        FAIL
    }
}
