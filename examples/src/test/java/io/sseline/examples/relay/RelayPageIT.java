package io.sseline.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.examples.chat.HeadlessChromium;
import io.sseline.servlet.EventStreamConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The relay's page in headless Chromium: the browser's own {@code EventSource} shows the model's
 * answer as the relay streams it, and closes at {@code [DONE]} instead of reconnecting.
 */
class RelayPageIT {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void theBrowserShowsTheAnswerAsItStreamsAndAsksOnce() throws Exception {
        try (RelayServer relay = RelayServer.start(0, null, "", Duration.ofMillis(2), EventStreamConfig.defaults());
                HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = chromium.driver();
            browser.get(relay.uri("/").toString());
            browser.findElement(By.tagName("button")).click();

            new WebDriverWait(browser, TIMEOUT)
                    .pollingEvery(Duration.ofMillis(50))
                    .withMessage(() -> "no whole answer within " + TIMEOUT + ": "
                            + browser.findElement(By.id("answer")).getText())
                    .until((WebDriver driver) -> driver.findElement(By.id("answer"))
                            .getText()
                            .endsWith("without buffering more than they read."));

            assertThat(browser.findElement(By.id("answer")).getText())
                    .startsWith("Server-Sent Events keep one HTTP response open");
            assertThat(relay.llm().requests())
                    .as("no reconnection after [DONE]")
                    .isEqualTo(1);
        }
    }
}
