package io.sseline.examples.springchat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat on Spring Boot: {@link ChatController} and a page, {@code static/index.html}. Start it
 * with {@code ./mvnw -pl examples/spring-chat -am compile exec:java} and open http://localhost:8080.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SpringChatApplication {
    public static void main(String[] args) {
        SpringApplication.run(SpringChatApplication.class, args);
    }
}
