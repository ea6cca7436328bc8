package io.sseline.client;

import io.sseline.testing.TestCertificate;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** Tomcat 11 with its default HTTP/2 settings (100 concurrent streams per connection). */
final class TomcatStreamServer extends StreamServer {
    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector();

    TomcatStreamServer(boolean tls) throws Exception {
        super(tls);
        tomcat.setBaseDir(Files.createTempDirectory("sseline-client-tomcat").toString());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.addUpgradeProtocol(new Http2Protocol());
        if (tls) {
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig host = new SSLHostConfig();
            SSLHostConfigCertificate certificate =
                    new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(TestCertificate.keyStore().toString());
            certificate.setCertificateKeystorePassword(TestCertificate.PASSWORD);
            certificate.setCertificateKeystoreType("PKCS12");
            host.addCertificate(certificate);
            connector.addSslHostConfig(host);
        }
        tomcat.getService().addConnector(connector);
        Context context = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(context, "stream", new StreamServlet());
        wrapper.setAsyncSupported(true);
        wrapper.addMapping("/*");
        tomcat.start();
    }

    private final class StreamServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, List<String>> headers = new TreeMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .addAll(Collections.list(request.getHeaders(name)));
            }
            Reply reply = received(headers);
            response.setStatus(reply.status());
            if (reply.status() == 200) {
                response.setContentType("text/event-stream");
            }
            reply.headers().forEach(response::setHeader);
            if (reply.end()) {
                response.getOutputStream().write(reply.body());
                return;
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // held open
            response.getOutputStream().write(reply.body());
            response.flushBuffer();
        }
    }

    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IOException("Tomcat did not stop", e);
        }
    }

    @Override
    public String toString() {
        return "Tomcat " + (tls ? "h2" : "h2c");
    }
}
