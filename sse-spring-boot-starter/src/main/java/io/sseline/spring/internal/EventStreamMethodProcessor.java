package io.sseline.spring.internal;

import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets a controller method take an {@link EventStream} argument and return an {@link EventStream}.
 *
 * <p>An argument is a stream opened on the method's request by {@link EventStreams#open}, before the
 * method runs: the status and headers are sent then, and the request is marked handled, so that a
 * method that returns nothing ({@code void}) writes no view and no body after the events. A stream
 * returned by the method (opened by this argument, or by the method itself with {@code
 * streams.open(request, response)}) marks the request handled likewise; the stream goes on after the
 * method returns, written by the library on the container's asynchronous I/O.
 */
public final class EventStreamMethodProcessor
        implements HandlerMethodArgumentResolver, HandlerMethodReturnValueHandler {
    private final EventStreams streams;

    public EventStreamMethodProcessor(EventStreams streams) {
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == EventStream.class;
    }

    @Override
    public EventStream resolveArgument(
            MethodParameter parameter,
            @Nullable ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            @Nullable WebDataBinderFactory binderFactory)
            throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        if (request == null || response == null) {
            throw new IllegalStateException("an EventStream argument needs a servlet request and response; "
                    + parameter.getExecutable() + " runs without them");
        }
        EventStream stream = streams.open(request, response);
        if (mavContainer != null) {
            mavContainer.setRequestHandled(true);
        }
        return stream;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return EventStream.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(
            @Nullable Object returnValue,
            MethodParameter returnType,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest) {
        mavContainer.setRequestHandled(true);
    }

    @Override
    public String toString() {
        return "EventStreamMethodProcessor{" + streams + "}";
    }
}
