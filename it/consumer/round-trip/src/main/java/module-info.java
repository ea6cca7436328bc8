/** An application of sseline on the module path. */
module io.sseline.it.consumer {
    requires io.sseline.client;
    requires io.sseline.servlet;
    requires org.eclipse.jetty.ee10.servlet;
}
