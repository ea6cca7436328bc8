package io.sseline.examples.console;

import io.sseline.examples.cli.GenerateCompletion;
import io.sseline.examples.cli.HelpOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command line of {@link ConsoleChat#main} as picocli reads it; also its help and completion. */
@Command(
        name = "chat-console",
        subcommands = GenerateCompletion.class,
        synopsisHeading = "usage: ",
        customSynopsis = {
            "chat-console [--name NAME] [--room ROOM] [--raw] [URL]",
            "       chat-console generate-completion"
        },
        description = "The sseline chat in a terminal: prints the messages and presence of a room as they"
                + " arrive and posts each line typed. When the connection drops, it reconnects and prints"
                + " what was sent meanwhile.",
        descriptionHeading = "",
        parameterListHeading = "%n",
        optionListHeading = "",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Type a line and press Enter to send it; end with Ctrl+D.",
            "Exit status: 0 the input ended; 2 usage error."
        },
        sortOptions = false)
final class ConsoleChatOptions {
    /** The chat server when no URL is given. */
    static final URI DEFAULT_SERVER = URI.create("http://localhost:8080/");

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "your name in the chat (default one the server picks)")
    String name = "";

    @Option(names = "--room", paramLabel = "ROOM", description = "the room (default lobby)")
    String room = "lobby";

    @Option(
            names = "--raw",
            arity = "0",
            description = "print messages as sent, control characters included (ESC, CR, ...); by default"
                    + " they are shown escaped, so that no message drives the terminal")
    boolean raw;

    @Mixin
    private HelpOption help;

    /** At most one URL; a list, so that a second one gets a message of its own. */
    @Parameters(
            paramLabel = "URL",
            arity = "0..*",
            hideParamSyntax = true,
            description = "the chat server (default http://localhost:8080/)")
    List<String> urls = new ArrayList<>();

    /**
     * The chat server's address, ending in {@code /}.
     *
     * @throws ParameterException if the URL is not an absolute {@code http} or {@code https} one
     */
    URI server() {
        if (urls.isEmpty()) {
            return DEFAULT_SERVER;
        }
        if (urls.size() > 1) {
            throw usage("only one URL is allowed; got " + urls.get(0) + " and " + urls.get(1));
        }
        String url = urls.get(0);
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url : url + "/");
        } catch (URISyntaxException e) {
            throw usage("not a URL: " + url + " (" + e.getReason() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw usage("the server must be an http or https URL such as http://localhost:8080/; got " + url);
        }
        return uri;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
