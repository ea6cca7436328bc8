package io.sseline.spring;

/** {@link ShutdownOrderTest} on Jetty. */
class JettyShutdownOrderTest extends ShutdownOrderTest {
    @Override
    Class<?> container() {
        return JettyEndToEndTest.Jetty.class;
    }
}
