package io.sseline.examples.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost}, made at start-up so that the demo can speak HTTP/2
 * over TLS (browsers speak HTTP/2 only over TLS) without shipping a private key.
 *
 * <pre>{@code
 * DevCertificate certificate = DevCertificate.generate();
 * sslContextFactory.setKeyStore(certificate.keyStore());
 * sslContextFactory.setKeyStorePassword(certificate.password());
 * }</pre>
 *
 * <p>The key pair and certificate are made by the JDK's own {@code keytool} (an EC P-256 key,
 * valid for 30 days, for {@code localhost}, {@code 127.0.0.1} and {@code ::1}), which every JDK
 * ships: no dependency, and no use of the JDK's internal certificate classes. The key store lives
 * in a temporary file only while {@code keytool} writes it; the result is held in memory. Browsers
 * warn about a certificate that nobody vouches for: accept it once for {@code https://localhost}.
 * Immutable.
 */
public final class DevCertificate {
    private static final long TIMEOUT_SECONDS = 60;
    private static final String ALIAS = "localhost";

    private final KeyStore keyStore;
    private final String password;
    private final X509Certificate certificate;

    private DevCertificate(KeyStore keyStore, String password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * Makes a new key pair and certificate with {@code keytool}.
     *
     * @throws IOException if {@code keytool} is missing or fails; the message says what it printed
     */
    public static DevCertificate generate() throws IOException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path dir = Files.createTempDirectory("sseline-dev-cert");
        Path file = dir.resolve("localhost.p12");
        try {
            Path keytool = keytool();
            List<String> command = List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-sigalg",
                    "SHA256withECDSA",
                    "-dname",
                    "CN=localhost, O=sseline chat demo",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                    "-validity",
                    "30",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    file.toString(),
                    "-storepass",
                    password,
                    "-keypass",
                    password,
                    "-noprompt");
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 || !Files.exists(file)) {
                throw new IOException("keytool failed with exit code " + process.exitValue() + ": " + output
                        + "; run the server with --https-port -1 to serve without TLS");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                keyStore.load(in, password.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
            return new DevCertificate(keyStore, password, certificate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the development certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("keytool wrote a key store that cannot be read: " + e, e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** The key store with the private key and the certificate, under the alias {@code localhost}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of the key store and of its key. */
    public String password() {
        return password;
    }

    /** The self-signed certificate, for a client that should trust it. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate's SHA-256 fingerprint, as browsers show it (hex pairs joined by colons). */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static Path keytool() throws IOException {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("keytool not found at " + keytool
                    + "; run the server on a full JDK, or with --https-port -1 to serve without TLS");
        }
        return keytool;
    }
}
