package io.sseline.benchmarks;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the examples in this module's Javadoc take as given, so that {@link ExamplesCompileTest} can
 * compile them as written: each example is the body of a method of a subclass, in the package of
 * the class whose Javadoc shows it. Nothing here runs; {@link ParsersAgreeTest} runs the drivers.
 */
public abstract class ExampleContext {
    protected Corpus.Stream corpus = Corpus.CHAT.generate();
    protected byte[] bytes = corpus.bytes();
    protected ServletContextHandler context = new ServletContextHandler();
    protected Blackhole blackhole;

    protected ExampleContext() {}
}
