package io.sseline.examples.relay;

import io.sseline.examples.cli.GenerateCompletion;
import io.sseline.examples.cli.HelpOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command line of {@link RelayServer#main} as picocli reads it; also its help and completion. */
@Command(
        name = "relay",
        subcommands = GenerateCompletion.class,
        synopsisHeading = "usage: ",
        customSynopsis = {
            "relay [--port N] [--upstream URL [--api-key KEY]] [--token-delay MS]",
            "       relay generate-completion"
        },
        description = "Relays a language model's streamed completion to browsers as Server-Sent Events, with"
                + " back-pressure end to end. Without --upstream it starts a local fake model that streams"
                + " tokens over POST.",
        descriptionHeading = "",
        optionListHeading = "%n",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Open http://localhost:8090/ or: curl -N 'http://localhost:8090/relay?prompt=hello'",
            "Exit status: 0 stopped with Ctrl+C; 2 usage error."
        },
        sortOptions = false)
final class RelayOptions {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "the relay's port on localhost (default 8090; 0 picks a free one)")
    int port = 8090;

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description = "a completions endpoint that streams over POST (default: a local fake model)")
    @Nullable
    String upstream;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "sent upstream as Authorization: Bearer KEY (default none)")
    String apiKey = "";

    @Option(
            names = "--token-delay",
            paramLabel = "MS",
            description = "the fake model's pause between tokens, in milliseconds (default 30)")
    long tokenDelayMillis = 30;

    @Mixin
    private HelpOption help;

    /** The token delay of the fake model. */
    Duration tokenDelay() {
        if (tokenDelayMillis < 0) {
            throw usage("--token-delay must not be negative: " + tokenDelayMillis);
        }
        return Duration.ofMillis(tokenDelayMillis);
    }

    /**
     * The upstream endpoint, or null for the local fake model.
     *
     * @throws ParameterException if it is not an absolute http or https URL
     */
    @Nullable
    URI upstreamUri() {
        if (upstream == null) {
            return null;
        }
        try {
            URI uri = new URI(upstream);
            if ((!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw usage("--upstream must be an http or https URL; got " + upstream);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usage("--upstream is not a URL: " + upstream + " (" + e.getReason() + ")");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
