package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

    @TempDir
    Path dir;

    private static KafkaConnection of(KafkaConnection.Sasl sasl, String user, String password, boolean tls,
                                      Path ca, Path cert, Path key) {
        return new KafkaConnection(List.of("k1:9092", "k2:9093"), sasl, user, Secret.ofNullable(password), tls, ca,
                cert, key, "client-1", Duration.ofSeconds(10));
    }

    @Test
    void plaintextByDefault() throws Exception {
        Map<String, Object> p = of(KafkaConnection.Sasl.NONE, null, null, false, null, null, null).clientProperties();
        assertThat(p).containsEntry("bootstrap.servers", "k1:9092,k2:9093").containsEntry("client.id", "client-1")
                .containsEntry("security.protocol", "PLAINTEXT").doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void scramOverTlsQuotesTheCredentialsAndKeepsThemHidden() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
        KafkaConnection c = of(KafkaConnection.Sasl.SCRAM_SHA_512, "br\"idge", "p\\w\"d", false, ca, null, null);
        Map<String, Object> p = c.clientProperties();
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM");
        Password jaas = (Password) p.get("sasl.jaas.config");
        assertThat(jaas.value()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"br\\\"idge\" password=\"p\\\\w\\\"d\";");
        assertThat(jaas.toString()).isEqualTo("[hidden]");
        assertThat(p.toString()).doesNotContain("p\\w");
        assertThat(c.toString()).doesNotContain("p\\w").contains("SASL_SSL", "SCRAM-SHA-512", "user br\"idge");
    }

    @Test
    void mutualTlsHandsTheKeyOverAsAPassword() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "CERT");
        Path key = Files.writeString(dir.resolve("k.pem"), "KEY");
        Map<String, Object> p = of(KafkaConnection.Sasl.NONE, null, null, false, null, cert, key).clientProperties();
        assertThat(p).containsEntry("security.protocol", "SSL").containsEntry("ssl.keystore.type", "PEM");
        assertThat(((Password) p.get("ssl.keystore.key")).value()).isEqualTo("KEY");
        assertThat(((Password) p.get("ssl.keystore.certificate.chain")).value()).isEqualTo("CERT");
    }

    @Test
    void badValuesAreRefusedNamingTheParameterAndNeverTheSecret() {
        assertThatThrownBy(() -> new KafkaConnection(List.of("bob:hunter2@k1:9092"), KafkaConnection.Sasl.NONE, null,
                null, false, null, null, null, "c", Duration.ofSeconds(1)))
                .hasMessageContaining("carries credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> of(KafkaConnection.Sasl.PLAIN, "u", null, false, null, null, null))
                .hasMessageContaining("needs a user and a password");
        assertThatThrownBy(() -> of(KafkaConnection.Sasl.NONE, "u", "pw", false, null, null, null))
                .hasMessageContaining("need a SASL mechanism");
        assertThatThrownBy(() -> new KafkaConnection(List.of("kafka://k1"), KafkaConnection.Sasl.NONE, null, null,
                false, null, null, null, "c", Duration.ofSeconds(1))).hasMessageContaining("host:port");
        assertThatThrownBy(() -> KafkaConnection.Sasl.parse("sasl", "GSSAPI"))
                .hasMessage("sasl must be none, PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was 'GSSAPI'");
        assertThatThrownBy(() -> of(KafkaConnection.Sasl.NONE, null, null, false, null, dir.resolve("c"), null))
                .hasMessageContaining("tlsCert and tlsKey go together");
    }

    @Test
    void classifiesFailures() {
        assertThat(KafkaPublisher.classify(new org.apache.kafka.common.errors.RecordTooLargeException("big"))
                .permanent()).isTrue();
        assertThat(KafkaPublisher.classify(new org.apache.kafka.common.errors.TopicAuthorizationException("t"))
                .permanent()).isTrue();
        assertThat(KafkaPublisher.classify(new org.apache.kafka.common.errors.TimeoutException("slow"))
                .permanent()).isFalse();
        assertThat(KafkaPublisher.classify(new org.apache.kafka.common.errors.SaslAuthenticationException("pw"))
                .permanent()).isFalse();
    }
}
