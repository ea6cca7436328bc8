package io.sseline.benchmarks.fanout;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Spring MVC's side: a controller that returns an {@link SseEmitter} without timeout, in a {@link
 * DispatcherServlet} configured with {@code @EnableWebMvc}; a broadcast calls {@link
 * SseEmitter#send(SseEmitter.SseEventBuilder)} on every emitter, which writes and flushes on the
 * publisher's thread. Each stream starts with a comment, because Spring sends the response headers
 * only with the first event.
 *
 * <pre>{@code
 * Broadcaster spring = new SpringBroadcaster();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SpringBroadcaster implements Broadcaster {
    private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

    /** The Spring MVC configuration. */
    @Configuration
    @EnableWebMvc
    public static class WebConfig {}

    /** The controller: one emitter per subscriber, never timing out. */
    @RestController
    public static class Controller {
        private final SpringBroadcaster broadcaster;

        /** Spring injects the broadcaster registered with the context. */
        public Controller(SpringBroadcaster broadcaster) {
            this.broadcaster = broadcaster;
        }

        /** Subscribes the caller. */
        @GetMapping(path = "/events", produces = "text/event-stream")
        public SseEmitter subscribe() {
            SseEmitter emitter = new SseEmitter(0L);
            Set<SseEmitter> emitters = broadcaster.emitters;
            emitter.onCompletion(() -> emitters.remove(emitter));
            emitter.onError(error -> emitters.remove(emitter));
            emitters.add(emitter);
            try {
                // Spring commits the response only with the first event; a comment now opens the stream
                // at once, as the other servers do.
                emitter.send(SseEmitter.event().comment("open"));
            } catch (IOException e) {
                emitters.remove(emitter);
            }
            return emitter;
        }
    }

    @Override
    public HttpServlet servlet() {
        GenericWebApplicationContext context = new GenericWebApplicationContext();
        context.registerBean(SpringBroadcaster.class, () -> this);
        context.registerBean(WebConfig.class);
        context.registerBean(Controller.class);
        return new DispatcherServlet(context);
    }

    /** The dispatcher takes every path that the control servlet does not; the controller maps {@code /events}. */
    @Override
    public String mapping() {
        return "/";
    }

    @Override
    public void broadcast(String id, String data) {
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().id(id).name("chat").data(data));
            } catch (IOException | IllegalStateException gone) {
                emitters.remove(emitter);
            }
        }
    }

    @Override
    public int subscribers() {
        return emitters.size();
    }
}
