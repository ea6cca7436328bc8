/**
 * The command lines of the example tools ({@code sse-cat}, {@code chat}, {@code chat-console}) on
 * picocli: one way to report a wrong command line and one {@code generate-completion} subcommand.
 */
package io.sseline.examples.cli;
