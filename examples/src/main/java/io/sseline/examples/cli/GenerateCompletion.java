package io.sseline.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code generate-completion} subcommand of every example tool: prints a bash and zsh
 * completion script for the tool's options, made by picocli from the same annotations as the help,
 * so that the two cannot disagree. Its help says how to install the script.
 *
 * <!-- not compiled: an annotation and a shell session, not Java -->
 * <pre>{@code
 * // in Java:   @Command(name = "sse-cat", subcommands = GenerateCompletion.class)
 * // in a shell:
 * $ source <(examples/sse-cat generate-completion)
 * $ examples/sse-cat --l<Tab>        # completes --last-event-id
 * }</pre>
 */
@Command(
        name = "generate-completion",
        synopsisHeading = "usage: ",
        customSynopsis = "${ROOT-COMMAND-NAME} generate-completion",
        description = {
            "Prints a bash/zsh completion script for ${ROOT-COMMAND-NAME}; --help says how to install it.",
            "With the script, Tab completes the options of ${ROOT-COMMAND-NAME}, also when it is run by",
            "a path such as examples/${ROOT-COMMAND-NAME}. Generate it again when the options change.",
            "",
            "In this shell only:",
            "  source <(${ROOT-COMMAND-NAME} generate-completion)",
            "In every new bash, with the bash-completion package (most distributions have it):",
            "  dir=~/.local/share/bash-completion/completions",
            "  mkdir -p $dir && ${ROOT-COMMAND-NAME} generate-completion > $dir/${ROOT-COMMAND-NAME}",
            "In every new bash or zsh, without bash-completion:",
            "  ${ROOT-COMMAND-NAME} generate-completion > ~/.${ROOT-COMMAND-NAME}-completion",
            "  echo '. ~/.${ROOT-COMMAND-NAME}-completion' >> ~/.bashrc    # or ~/.zshrc"
        },
        descriptionHeading = "",
        optionListHeading = "%n")
public final class GenerateCompletion implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    /** Picocli creates the subcommand; see {@link CommandLines#create}. */
    public GenerateCompletion() {}

    /** Prints the script to the command line's standard output; returns {@code 0}. */
    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        PrintWriter out = spec.commandLine().getOut();
        // '\n', not println: bash refuses a script with CR LF line ends.
        out.print(AutoComplete.bash(root.name(), root.commandLine()));
        out.print('\n');
        out.flush();
        return 0;
    }
}
