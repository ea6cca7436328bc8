package io.sseline.examples.ssecat;

/**
 * A command line that {@code sse-cat} cannot run: an unknown option, a missing value, a malformed
 * header, no URL or a URL that is not {@code http} or {@code https}. Thrown by {@link
 * SseCatOptions#parse}; {@link SseCat} prints the same message and the help to standard error and
 * exits with {@link SseCat#EXIT_USAGE}.
 *
 * <pre>{@code
 * try {
 *     SseCatOptions.parse(args, System.in);
 * } catch (UsageException e) {
 *     System.err.println("sse-cat: " + e.getMessage());
 * }
 * }</pre>
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says what is wrong with the command line. */
    public UsageException(String message) {
        super(message);
    }
}
