package io.sseline.examples.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -h, --help} option, the same in every tool and subcommand: a picocli mixin, declared
 * last so that the help lists it last.
 *
 * <pre>{@code
 * @Command(name = "hello")
 * static final class HelloOptions {
 *     @Option(names = "--name")
 *     String name = "world";
 *
 *     @Mixin
 *     HelpOption help;
 * }
 * }</pre>
 */
public final class HelpOption {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "print this help")
    private boolean help;

    /** Picocli creates the mixin. */
    public HelpOption() {}
}
