package io.sseline.spring;

/** {@link ShutdownOrderTest} on Tomcat. */
class TomcatShutdownOrderTest extends ShutdownOrderTest {
    @Override
    Class<?> container() {
        return TomcatEndToEndTest.Tomcat.class;
    }
}
