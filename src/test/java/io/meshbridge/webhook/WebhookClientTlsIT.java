package io.meshbridge.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.TlsConfig;
import io.meshbridge.testing.TestPki;
import io.meshbridge.webhook.Outcome.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebhookClient} over TLS against the JDK's HTTPS server, which requires a client certificate (mTLS);
 * the CA and certificates are made at test time.
 */
class WebhookClientTlsIT {

    private static final byte[] BODY = "{\"type\":\"a.b\"}".getBytes(UTF_8);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TlsConfig server = new TlsConfig(true, pki.caCert, pki.serverCert, pki.serverKey, null, null, null, null,
                false);
        receiver = TestReceiver.https(server.createContext(), true);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void deliversWithTheCustomCaAndTheClientCertificate() throws Exception {
        int before = receiver.requests().size();
        TlsConfig tls = new TlsConfig(false, pki.caCert, pki.clientCert, pki.clientKey, null, null, null, null, false);
        try (WebhookClient client = new WebhookClient(WebhookTarget.builder(receiver.url("/mtls")).tls(tls).build())) {
            Outcome o = client.send("tls-1", 1L, BODY).get(30, TimeUnit.SECONDS);
            assertThat(o.kind()).as(o.reason()).isEqualTo(Kind.SUCCESS);
        }
        assertThat(receiver.requests()).hasSize(before + 1);
        TestReceiver.Request r = receiver.requests().get(before);
        assertThat(r.clientCert()).isEqualTo("CN=webhook-client");
        assertThat(r.body()).isEqualTo(BODY);
        assertThat(r.header("webhook-id")).isEqualTo("tls-1");
    }

    @Test
    void withoutAClientCertificateTheHandshakeFailsAsARetry() throws Exception {
        int before = receiver.requests().size();
        TlsConfig caOnly = new TlsConfig(false, pki.caCert, null, null, null, null, null, null, false);
        try (WebhookClient client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).tls(caOnly).build())) {
            Outcome o = client.send("tls-2", 1L, BODY).get(30, TimeUnit.SECONDS);
            assertThat(o.kind()).isEqualTo(Kind.RETRY);
            assertThat(o.status()).isZero();
        }
        assertThat(receiver.requests()).hasSize(before);
    }

    @Test
    void anUntrustedServerFailsAsATlsRetry() throws Exception {
        int before = receiver.requests().size();
        try (WebhookClient client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).build())) {
            Outcome o = client.send("tls-3", 1L, BODY).get(30, TimeUnit.SECONDS);
            assertThat(o.kind()).isEqualTo(Kind.RETRY);
            assertThat(o.reason()).startsWith("TLS failed");
        }
        assertThat(receiver.requests()).hasSize(before);
    }

    @Test
    void anUnreadableKeyFailsAtConstructionNamingTheFile() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\n");
        TlsConfig tls = new TlsConfig(false, pki.caCert, pki.clientCert, notAKey, null, null, null, null, false);
        WebhookTarget target = WebhookTarget.builder(receiver.url("/")).tls(tls).build();
        assertThatThrownBy(() -> new WebhookClient(target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not-a-key.pem");
    }
}
