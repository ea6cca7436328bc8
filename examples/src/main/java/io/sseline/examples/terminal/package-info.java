/** Text from the network made safe to print on a terminal; shared by the console chat and sse-cat. */
package io.sseline.examples.terminal;
