package io.sseline.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.redis.smoke.ModulePathMain;
import io.sseline.testing.RedisProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * sse-redis as a named module: its jar and its run-time dependencies alone on the module path (no
 * servlet container, hence none of Jetty's SLF4J), used from a program on the class path.
 */
class ModulePathIT {
    /** The module's own jar or classes, and its run-time dependencies. */
    private static final Pattern RUNTIME = Pattern.compile(
            ".*(sse-redis[^/]*\\.jar|sse-redis/target/classes|sse-core|sse-server-servlet|lettuce-core|netty-"
                    + "|reactor-core|reactive-streams|redis-authx|slf4j-api|jspecify).*");

    @Test
    void theModuleResolvesAndWorksOnTheModulePath() throws Exception {
        List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        String modulePath = classPath.stream()
                .filter(e -> RUNTIME.matcher(e.replace('\\', '/')).matches())
                .filter(e -> !e.contains("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        String testClasses = classPath.stream()
                .filter(e -> e.contains("test-classes"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no test-classes on " + classPath));
        assertThat(modulePath).contains("lettuce-core").contains("slf4j-api").doesNotContain("jetty");

        try (RedisProcess redis = RedisProcess.start()) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path",
                    modulePath,
                    // Lettuce is an automatic module, which names none of its dependencies: resolve
                    // them all, as an application on the module path does.
                    "--add-modules",
                    "ALL-MODULE-PATH",
                    "-cp",
                    testClasses,
                    ModulePathMain.class.getName(),
                    redis.uri()));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("module io.sseline.redis").containsPattern("published \\w+-\\d+-0 head ");
        }
    }
}
