package io.sseline.spring;

import io.sseline.spring.testapp.ChatTestApp;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link StarterEndToEndTest} on Jetty. */
@SpringBootTest(
        classes = {ChatTestApp.class, JettyEndToEndTest.Jetty.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-details=always", "management.health.redis.enabled=false"})
class JettyEndToEndTest extends StarterEndToEndTest {
    @Override
    String webServer() {
        return "JettyServletWebServer";
    }

    /** Jetty, named rather than left to which of the two containers Boot finds first. */
    @Configuration(proxyBeanMethods = false)
    static class Jetty {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }
}
