package io.sseline.examples.springchat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat on Spring Boot: {@link ChatController} and a page, {@code static/index.html}. Start it
 * with {@code ./mvnw -pl examples/spring-chat exec:java} once the libraries are installed (the
 * module's README) and open http://localhost:8080.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SpringChatApplication {
    public static void main(String[] args) {
        SpringApplication.run(SpringChatApplication.class, args);
    }
}
