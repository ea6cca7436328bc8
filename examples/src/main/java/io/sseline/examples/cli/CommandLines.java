package io.sseline.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs the command line of an example tool with picocli, the same way for each: {@code --help} and
 * {@code generate-completion} print to standard output and exit {@code 0}; a command line that
 * cannot run prints one line that says why (and, for a mistyped option, the likely one), then the
 * help, to standard error and exits {@value #EXIT_USAGE}; anything else runs the tool.
 *
 * <pre>{@code
 * @Command(name = "hello", subcommands = GenerateCompletion.class)
 * static final class HelloOptions {
 *     @Option(names = "--name")
 *     String name = "world";
 * }
 *
 * static int main(String[] args) {
 *     HelloOptions options = new HelloOptions();
 *     return CommandLines.execute(CommandLines.create(options), args, System.out, System.err, () -> {
 *         System.out.println("hello " + options.name);
 *         return 0;
 *     });
 * }
 * }</pre>
 */
public final class CommandLines {
    /** The exit status of a command line that cannot run, as with most Unix tools. */
    public static final int EXIT_USAGE = 2;

    private CommandLines() {}

    /**
     * A command line for an object whose fields carry picocli's {@code @Option} and {@code
     * Parameters} annotations. An option given twice keeps its last value, as in most Unix tools; an
     * argument that starts with {@code @} is an argument like any other.
     */
    public static CommandLine create(Object options) {
        CommandLine cli = new CommandLine(Objects.requireNonNull(options, "options"));
        cli.setOverwrittenOptionsAllowed(true);
        // Picocli would read "@FILE" as a file of more arguments; sse-cat's -d @FILE means a body.
        cli.setExpandAtFiles(false);
        // Room for "--header='Name: value'" before the help's description column.
        cli.setUsageHelpLongOptionsMaxWidth(24);
        return cli;
    }

    /**
     * Parses {@code args} into the options of {@code cli} and runs {@code tool}, unless help or a
     * subcommand was asked for or the command line is wrong; returns the exit status.
     *
     * @param tool runs the tool with the parsed options and returns its exit status; it may throw
     *     {@link ParameterException} for a value that is wrong, which is then reported like a parse
     *     error
     */
    public static int execute(
            CommandLine cli, String[] args, PrintStream out, PrintStream err, Callable<Integer> tool) {
        cli.setOut(writer(out));
        cli.setErr(writer(err));
        cli.setParameterExceptionHandler((e, arguments) -> {
            report(e, arguments, err);
            return EXIT_USAGE;
        });
        cli.setExecutionStrategy(parsed -> {
            if (parsed.isUsageHelpRequested() || parsed.subcommand() != null) {
                return new CommandLine.RunLast().execute(parsed);
            }
            try {
                return tool.call();
            } catch (ParameterException | ExecutionException e) {
                throw e;
            } catch (Exception e) {
                throw new ExecutionException(cli, cli.getCommandName() + ": " + e, e);
            }
        });
        return cli.execute(args);
    }

    /**
     * What is wrong with a command line, in one phrase that names the option: {@code unknown option
     * --follow}, {@code -H needs a value}, {@code --json takes no value}, {@code unexpected argument
     * foo}, or else the message of the exception.
     */
    public static String problem(ParameterException e, String[] args) {
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            return unmatched.isUnknownOption()
                    ? "unknown option " + (arg.startsWith("--") ? arg.split("=", 2)[0] : arg)
                    : "unexpected argument " + arg;
        }
        if (e instanceof MissingParameterException missing) {
            for (ArgSpec spec : missing.getMissing()) {
                if (spec instanceof OptionSpec option) {
                    return typed(option, args) + " needs a value";
                }
            }
        }
        if (e instanceof MaxValuesExceededException) {
            // A flag given a value, --json=yes: picocli's exception does not say which option it was.
            for (String arg : args) {
                int equals = arg.indexOf('=');
                OptionSpec flag =
                        equals > 0 ? e.getCommandLine().getCommandSpec().findOption(arg.substring(0, equals)) : null;
                if (flag != null && flag.arity().max() == 0) {
                    return arg.substring(0, equals) + " takes no value";
                }
            }
        }
        return e.getMessage();
    }

    /** Prints why a command line cannot run, the option that was probably meant, and the help. */
    private static void report(ParameterException e, String[] args, PrintStream err) {
        CommandLine cli = e.getCommandLine();
        err.println(cli.getCommandSpec().qualifiedName() + ": " + problem(e, args));
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("did you mean " + String.join(" or ", suggestions) + "?");
            }
        }
        err.print(cli.getUsageMessage());
        err.flush();
    }

    /** The name under which the user gave {@code option}: the last argument that is one of its names. */
    private static String typed(OptionSpec option, String[] args) {
        for (int i = args.length - 1; i >= 0; i--) {
            if (List.of(option.names()).contains(args[i])) {
                return args[i];
            }
        }
        return option.longestName();
    }

    /**
     * Picocli writes help and completion scripts to a {@link PrintWriter}; this one prints through
     * {@code stream}, so that the text is encoded with the stream's own charset.
     */
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(
                new Writer() {
                    @Override
                    public void write(char[] chars, int offset, int length) {
                        stream.print(new String(chars, offset, length));
                    }

                    @Override
                    public void flush() {
                        stream.flush();
                    }

                    @Override
                    public void close() {
                        stream.flush();
                    }
                },
                true);
    }
}
