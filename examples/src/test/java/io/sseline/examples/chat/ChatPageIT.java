package io.sseline.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven by Debian's chromedriver
 * (installed by {@code .ci/install-test-deps}; Selenium is never allowed to download either).
 */
class ChatPageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private ChatServer server;
    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.builder()
                .port(0)
                .httpsPort(-1)
                .reconnectDelay(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(500))
                .start();
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void messageSentInOnePageAppearsInTheOtherAndBothResumeAfterAServerRestart() throws Exception {
        String ada = browser.getWindowHandle();
        browser.get(server.uri() + "?name=ada");
        awaitState("open");
        browser.switchTo().newWindow(WindowType.WINDOW);
        String bob = browser.getWindowHandle();
        browser.get(server.uri() + "?name=bob");
        awaitState("open");

        browser.switchTo().window(ada);
        awaitPresence("bob joined");
        assertThat(text(By.id("online"))).isEqualTo("2 online");
        send("Hello from ada");

        browser.switchTo().window(bob);
        awaitMessage("ada", "Hello from ada");

        // The server goes away: both pages notice and keep trying.
        int port = server.uri().getPort();
        server.close();
        for (String window : List.of(ada, bob)) {
            browser.switchTo().window(window);
            awaitState("reconnecting");
        }

        // It comes back on the same port (a new process would start with an empty history), and
        // messages are sent before the pages are back.
        server = ChatServer.builder()
                .port(port)
                .httpsPort(-1)
                .reconnectDelay(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(500))
                .start();
        post("{\"content\":\"sent meanwhile 1\",\"author\":\"carol\"}");
        post("{\"content\":\"sent meanwhile 2\",\"author\":\"carol\"}");

        for (String window : List.of(ada, bob)) {
            browser.switchTo().window(window);
            awaitState("open");
            awaitMessage("carol", "sent meanwhile 1");
            awaitMessage("carol", "sent meanwhile 2");
            assertThat(messages())
                    .as("everything once, in order")
                    .containsExactly("ada: Hello from ada", "carol: sent meanwhile 1", "carol: sent meanwhile 2");
            assertThat(browser.findElement(By.id("state")).getDomAttribute("data-opens"))
                    .isEqualTo("2");
        }

        // And the conversation goes on over the new server.
        browser.switchTo().window(bob);
        send("back again");
        browser.switchTo().window(ada);
        awaitMessage("bob", "back again");
    }

    @Test
    void leavingThePageClosesItsStreamAndTheOthersSeeTheUserLeave() {
        browser.get(server.uri() + "?name=ada");
        awaitState("open");
        String ada = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(server.uri() + "?name=bob");
        awaitState("open");

        browser.get("about:blank");

        browser.switchTo().window(ada);
        awaitPresence("bob left");
        assertThat(text(By.id("online"))).isEqualTo("1 online");
        assertThat(server.rooms().online("lobby")).isEqualTo(1);
    }

    @Test
    void refusedMessageShowsTheServersReasonAndIsNotShown() {
        browser.get(server.uri() + "?name=ada");
        awaitState("open");

        send("   ");

        await(() -> text(By.id("error")).equals("content must not be empty"), "the error message");
        assertThat(messages()).isEmpty();
        assertThat(server.rooms().history("lobby")).isEmpty();
    }

    private void send(String content) {
        WebElement input = browser.findElement(By.id("content"));
        input.clear();
        input.sendKeys(content);
        browser.findElement(By.id("send")).click();
    }

    private void post(String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private void awaitState(String state) {
        await(
                () -> state.equals(browser.findElement(By.id("state")).getDomAttribute("data-state")),
                "state " + state + " in " + browser.getCurrentUrl());
    }

    private void awaitMessage(String author, String content) {
        await(() -> messages().contains(author + ": " + content), "message \"" + content + "\" from " + author);
    }

    private void awaitPresence(String text) {
        await(
                () -> browser.findElements(By.cssSelector("#messages li.presence")).stream()
                        .anyMatch(item -> item.getText().equals(text)),
                "presence \"" + text + "\"");
    }

    private List<String> messages() {
        return browser.findElements(By.cssSelector("#messages li.message")).stream()
                .map(item -> item.findElement(By.className("author")).getText() + ": "
                        + item.findElement(By.className("content")).getText())
                .toList();
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private void await(java.util.function.BooleanSupplier condition, String what) {
        new WebDriverWait(browser, TIMEOUT)
                .pollingEvery(Duration.ofMillis(50))
                .withMessage(() -> "no " + what + " within " + TIMEOUT + "; page text:\n"
                        + browser.findElement(By.tagName("body")).getDomProperty("textContent"))
                .until((WebDriver driver) -> condition.getAsBoolean());
    }
}
