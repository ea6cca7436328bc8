package io.sseline.spring;

import io.sseline.spring.testapp.ChatTestApp;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link StarterEndToEndTest} on Tomcat. */
@SpringBootTest(
        classes = {ChatTestApp.class, TomcatEndToEndTest.Tomcat.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-details=always", "management.health.redis.enabled=false"})
class TomcatEndToEndTest extends StarterEndToEndTest {
    @Override
    String webServer() {
        return "TomcatWebServer";
    }

    /** Tomcat, named rather than left to which of the two containers Boot finds first. */
    @Configuration(proxyBeanMethods = false)
    static class Tomcat {
        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory();
        }
    }
}
