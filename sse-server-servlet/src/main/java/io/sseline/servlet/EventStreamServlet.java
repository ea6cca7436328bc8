package io.sseline.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The application's half of an event-stream endpoint: a servlet that opens an {@link EventStream}
 * for each {@code GET} and hands it to {@link #onOpen}. Each instance owns one {@link EventStreams},
 * shut down (closing every stream) when the container destroys the servlet.
 *
 * <pre>{@code
 * public final class ClockServlet extends EventStreamServlet {
 *     public ClockServlet() {
 *         super(EventStreamConfig.builder().heartbeatInterval(Duration.ofSeconds(20)).build());
 *     }
 *
 *     protected void onOpen(EventStream stream, HttpServletRequest request) {
 *         clock.subscribe(time -> stream.send(Event.of(time.toString()).withType("tick")));
 *     }
 * }
 * }</pre>
 *
 * <p>The servlet must be registered with asynchronous support, and so must every filter before it.
 * In {@code web.xml}:
 *
 * <!-- not compiled: web.xml, not Java -->
 * <pre>{@code
 * <servlet>
 *   <servlet-name>clock</servlet-name>
 *   <servlet-class>com.example.ClockServlet</servlet-class>
 *   <async-supported>true</async-supported>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>clock</servlet-name>
 *   <url-pattern>/clock</url-pattern>
 * </servlet-mapping>
 * }</pre>
 *
 * <p>Programmatically, for example in a {@code ServletContainerInitializer} or {@code
 * ServletContextListener}:
 *
 * <pre>{@code
 * ServletRegistration.Dynamic clock = servletContext.addServlet("clock", new ClockServlet());
 * clock.setAsyncSupported(true);
 * clock.addMapping("/clock");
 * }</pre>
 *
 * <p>In Spring Boot:
 *
 * <pre>{@code
 * @Bean
 * ServletRegistrationBean<ClockServlet> clock() {
 *     ServletRegistrationBean<ClockServlet> bean = new ServletRegistrationBean<>(new ClockServlet(), "/clock");
 *     bean.setAsyncSupported(true);   // the default in Spring Boot, stated here for clarity
 *     return bean;
 * }
 * }</pre>
 *
 * <p>{@code onOpen} runs on the container thread of the request; the stream it receives can be kept
 * and used from any thread. After {@link #destroy()}, new requests get {@code 503 Service
 * Unavailable} with {@code Retry-After}.
 *
 * <p><b>Methods.</b> {@code GET} opens a stream. {@code HEAD} gets the status and headers a {@code
 * GET} gets and no body, at once; no stream opens and {@code onOpen} is not called. {@code OPTIONS}
 * gets {@code 204 No Content} with {@code Allow: GET, HEAD, OPTIONS}. Every other method, {@code
 * TRACE} and methods unknown to HTTP included, gets {@code 405 Method Not Allowed} with the same
 * {@code Allow}, whatever the HTTP version.
 */
public abstract class EventStreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String ALLOW = "GET, HEAD, OPTIONS";

    /** Never serialized: a servlet's streams belong to one running container. */
    private final transient EventStreams streams;

    /** A servlet whose streams use the default {@link EventStreamConfig}. */
    protected EventStreamServlet() {
        this(EventStreamConfig.defaults());
    }

    /** A servlet whose streams use {@code config}. */
    protected EventStreamServlet(EventStreamConfig config) {
        this.streams = EventStreams.create(Objects.requireNonNull(config, "config"));
    }

    /** The streams this servlet has opened: counters, open streams, shutdown. */
    protected final EventStreams streams() {
        return streams;
    }

    /**
     * Called for each new stream, once its headers are on their way to the client. Keep the stream,
     * subscribe it to a hub, or send to it right away. If this method throws, the stream is closed and
     * the exception propagates to the container.
     *
     * @param request the request that opened the stream, valid only until this method returns
     * @throws IOException to fail the request
     */
    protected abstract void onOpen(EventStream stream, HttpServletRequest request) throws IOException;

    /**
     * Serves {@code GET}, {@code HEAD} and {@code OPTIONS}, and answers every other method with {@code
     * 405} and {@code Allow}. (The base class would answer {@code 400} for some methods over HTTP/1.0,
     * {@code 501} for unknown ones, and echo {@code TRACE}.)
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        switch (request.getMethod()) {
            case "GET" -> doGet(request, response);
            case "HEAD" -> doHead(request, response);
            case "OPTIONS" -> doOptions(request, response);
            default -> {
                response.setHeader("Allow", ALLOW);
                response.sendError(
                        HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        "an event stream is read with GET; " + request.getMethod() + " is not served here");
            }
        }
    }

    /** Opens the stream and calls {@link #onOpen}; answers 503 once the servlet is being destroyed. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventStream stream = streams.open(request, response);
        if (!stream.isOpen()) {
            return; // answered already: shutting down
        }
        boolean ok = false;
        try {
            onOpen(stream, request);
            ok = true;
        } finally {
            if (!ok) {
                stream.close();
            }
        }
    }

    /** Answers with the headers a {@code GET} gets and no body; opens no stream. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        streams.open(request, response); // answers HEAD itself, and returns a stream that never opened
    }

    /** Answers {@code 204 No Content} with {@code Allow: GET, HEAD, OPTIONS}. */
    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", ALLOW);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** Closes every stream of this servlet; see {@link EventStreams#shutdown()}. */
    @Override
    public void destroy() {
        streams.shutdown();
    }
}
