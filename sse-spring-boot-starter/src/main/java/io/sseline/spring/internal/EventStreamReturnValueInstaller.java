package io.sseline.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Puts the {@link EventStreamMethodProcessor} first among the return-value handlers of Spring MVC's
 * {@link RequestMappingHandlerAdapter}. Handlers added through {@code
 * WebMvcConfigurer#addReturnValueHandlers} come after the built-in ones, and in a
 * {@code @RestController} the built-in {@code @ResponseBody} handler claims every return value
 * first: it would try to write the returned stream with a message converter. The processor claims
 * only {@code EventStream}, so putting it first changes nothing for other return types.
 */
public final class EventStreamReturnValueInstaller implements BeanPostProcessor {
    private final ObjectProvider<EventStreamMethodProcessor> processor;

    /** Takes the processor lazily: post-processors are made before the beans they process. */
    public EventStreamReturnValueInstaller(ObjectProvider<EventStreamMethodProcessor> processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RequestMappingHandlerAdapter adapter) {
            List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
            List<HandlerMethodReturnValueHandler> first = new ArrayList<>();
            first.add(processor.getObject());
            if (handlers != null) {
                first.addAll(handlers);
            }
            adapter.setReturnValueHandlers(first);
        }
        return bean;
    }
}
