package io.sseline.examples.chat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven by Debian's chromedriver, with a fresh profile that is deleted
 * afterwards. Both are given by path, so Selenium Manager has nothing to look up or download.
 * Public for the relay's page test too.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(PageLoadStrategy pageLoad, List<String> extraArguments) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("this test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with .ci/install-test-deps (apt-get install chromium chromium-driver)");
        }
        profile = Files.createTempDirectory("chat-it-chromium");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.setPageLoadStrategy(pageLoad);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        driver = started;
    }

    /** Starts a browser whose {@code get} waits for the page to load. */
    public static HeadlessChromium start(String... extraArguments) throws IOException {
        return new HeadlessChromium(PageLoadStrategy.NORMAL, List.of(extraArguments));
    }

    /** Starts a browser whose {@code get} returns at once, for pages that are expected to stall. */
    static HeadlessChromium startWithoutWaitingForLoads(String... extraArguments) throws IOException {
        return new HeadlessChromium(PageLoadStrategy.NONE, List.of(extraArguments));
    }

    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() throws IOException {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
