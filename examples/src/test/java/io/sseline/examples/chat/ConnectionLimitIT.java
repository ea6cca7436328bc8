package io.sseline.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the README's "seventh tab" paragraph claims, in a real browser: each chat page holds one
 * connection for its event stream, so over HTTP/1.1 (six connections per host) a seventh request
 * waits until a page lets go of one, and over HTTP/2 all pages share one connection.
 */
class ConnectionLimitIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long the seventh page is watched not loading; a load, if it came, would take milliseconds. */
    private static final Duration STALLED = Duration.ofSeconds(3);

    private ChatServer server;
    private HeadlessChromium chromium;
    private ChromeDriver browser;

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
    void overHttp11ASeventhRequestWaitsUntilAPageLetsGoOfItsConnection() throws Exception {
        server = ChatServer.builder().port(0).httpsPort(-1).start();
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        openPages(server.uri(), 6);
        assertThat(server.rooms().online("lobby")).isEqualTo(6);
        assertThat(text("protocol")).isEqualTo("via http/1.1");

        // Six streams hold the six connections; any further request to the host must wait. (A
        // seventh tab's page is such a request; a fetch is one that leaves the driver free.)
        browser.executeScript("window.probe = 'waiting';"
                + " fetch('chat.css?probe', {cache: 'no-store'}).then(() => { window.probe = 'done'; });");

        assertThat(holdsWithin(() -> "done".equals(browser.executeScript("return window.probe;")), STALLED))
                .as("a seventh request completed although six streams hold every connection")
                .isFalse();

        // This page leaves (its pagehide handler closes its EventSource): a connection is free.
        browser.executeScript("window.dispatchEvent(new PageTransitionEvent('pagehide'));");
        await(() -> "done".equals(browser.executeScript("return window.probe;")), "the waiting request done");
        assertThat(state()).isEqualTo("closed");
    }

    @Test
    void overHttp2SevenPagesShareOneConnectionAndAreAllOpen() throws Exception {
        server = ChatServer.builder().port(0).httpsPort(0).start();
        // The development certificate is self-signed; a person accepts the warning once.
        chromium = HeadlessChromium.start("--ignore-certificate-errors");
        browser = chromium.driver();

        List<String> windows = openPages(server.secureUri().orElseThrow(), 7);

        assertThat(windows).hasSize(7);
        assertThat(server.rooms().online("lobby")).isEqualTo(7);
        for (String window : windows) {
            browser.switchTo().window(window);
            assertThat(state()).isEqualTo("open");
            assertThat(text("protocol")).isEqualTo("via h2");
        }
    }

    /** Opens {@code count} chat pages, each in its own window, and waits until each is open. */
    private List<String> openPages(URI uri, int count) {
        List<String> windows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (i > 1) {
                browser.switchTo().newWindow(WindowType.WINDOW);
            }
            windows.add(browser.getWindowHandle());
            browser.get(uri + "?name=user" + i);
            int page = i;
            await(() -> "open".equals(state()), "page " + page + " open");
        }
        return windows;
    }

    /** The page's connection state, or "" while the page has not loaded. */
    private String state() {
        try {
            List<WebElement> state = browser.findElements(By.id("state"));
            return state.isEmpty() ? "" : String.valueOf(state.get(0).getDomAttribute("data-state"));
        } catch (WebDriverException stillLoading) {
            return "";
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private boolean holdsWithin(BooleanSupplier condition, Duration time) {
        try {
            wait(time).until((WebDriver driver) -> condition.getAsBoolean());
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private void await(BooleanSupplier condition, String what) {
        wait(TIMEOUT)
                .withMessage("no " + what + " within " + TIMEOUT)
                .until((WebDriver driver) -> condition.getAsBoolean());
    }

    private WebDriverWait wait(Duration time) {
        WebDriverWait wait = new WebDriverWait(browser, time);
        wait.pollingEvery(Duration.ofMillis(50));
        return wait;
    }
}
