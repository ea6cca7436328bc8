package io.sseline.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DevCertificateTest {
    /** keytool runs in a JVM of its own, which takes a second or two: made once for these tests. */
    private static DevCertificate shared;

    @BeforeAll
    static void generate() throws Exception {
        shared = DevCertificate.generate();
    }

    @Test
    void keytoolMakesAnEcCertificateForLocalhostWithItsKey() throws Exception {
        DevCertificate certificate = shared;

        X509Certificate x509 = certificate.certificate();
        assertThat(x509.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(x509.getPublicKey().getAlgorithm()).isEqualTo("EC");
        List<String> names = x509.getSubjectAlternativeNames().stream()
                .map(name -> String.valueOf(name.get(1)))
                .toList();
        assertThat(names).contains("localhost", "127.0.0.1");
        assertThat(Duration.between(Instant.now(), x509.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(29), Duration.ofDays(31));
        x509.checkValidity();
        x509.verify(x509.getPublicKey()); // self-signed

        KeyStore store = certificate.keyStore();
        assertThat(List.of(store.aliases().nextElement())).containsExactly("localhost");
        assertThat(store.getKey("localhost", certificate.password().toCharArray()))
                .isInstanceOf(PrivateKey.class);
    }

    @Test
    void fingerprintIsTheSha256OfTheCertificateInColonSeparatedHex() throws Exception {
        DevCertificate certificate = shared;

        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(certificate.certificate().getEncoded());

        assertThat(certificate.fingerprint())
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest))
                .hasSize(32 * 3 - 1);
    }

    @Test
    void eachStartMakesANewKey() throws Exception {
        assertThat(DevCertificate.generate().fingerprint()).isNotEqualTo(shared.fingerprint());
    }
}
