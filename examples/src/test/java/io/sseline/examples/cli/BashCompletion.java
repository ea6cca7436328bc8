package io.sseline.examples.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a completion script in a real bash, as the shell does when Tab is pressed: sources the
 * script, finds the function that {@code complete} registered for the command, and calls it with
 * the words typed so far.
 */
public final class BashCompletion {
    private static final String DRIVER = String.join(
            "\n",
            "source \"$SCRIPT\" || exit 3",
            "spec=$(complete -p \"$COMMAND\") || exit 4",
            "function=$(printf '%s' \"$spec\" | sed -E 's/.* -F ([^ ]+) .*/\\1/')",
            "COMP_WORDS=(\"$@\")",
            "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
            "COMP_LINE=\"${COMP_WORDS[*]}\"",
            "COMP_POINT=${#COMP_LINE}",
            "\"$function\" \"$COMMAND\" \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"",
            "printf '%s\\n' \"${COMPREPLY[@]}\"");

    private BashCompletion() {}

    /**
     * What Tab offers after {@code words}, the last of which is being typed; the first word is the
     * command as the user runs it, such as {@code examples/sse-cat}.
     *
     * @param command the command name the script registers completion for
     */
    public static List<String> complete(String script, String command, String... words)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("completion", ".bash");
        try {
            Files.writeString(file, script, UTF_8);
            List<String> commandLine = new ArrayList<>(List.of("bash", "--norc", "--noprofile", "-c", DRIVER, "bash"));
            commandLine.addAll(List.of(words));
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("SCRIPT", file.toString());
            builder.environment().put("COMMAND", command);
            Process bash = builder.start();
            String output = new String(bash.getInputStream().readAllBytes(), UTF_8);
            assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("bash ends").isTrue();
            assertThat(bash.exitValue())
                    .as("bash sources the script and finds completion for %s; it printed %s", command, output)
                    .isZero();
            return output.lines().filter(line -> !line.isEmpty()).toList();
        } finally {
            Files.delete(file);
        }
    }
}
