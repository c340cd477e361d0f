package io.meshbridge.bridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaBridgeSettingsTest {

    private static KafkaBridgeSettings settings() {
        KafkaBridgeSettings s = new KafkaBridgeSettings();
        s.setBrokers("k1:9092");
        s.setTopic("mesh.events");
        return s;
    }

    @Test
    void defaultsOfBothDirections() {
        KafkaBridgeSettings.Outbound out = settings().outbound();
        assertThat(out.topic()).isEqualTo("mesh.events");
        assertThat(out.key()).hasToString("node");
        assertThat(out.tuning().sendTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(out.tuning().compression()).isEqualTo("none");
        KafkaBridgeSettings.Inbound in = settings().inbound();
        assertThat(in.topics()).containsExactly("mesh.events");
        assertThat(in.groupId()).isNull();
        assertThat(in.earliest()).isFalse();
        assertThat(in.maxInFlight()).isEqualTo(1000);
        assertThat(KafkaBridgeSettings.meshTopic(in.mapping(), "shop.orders-eu")).isEqualTo("shop.orders-eu");
        assertThat(KafkaBridgeSettings.meshTopic(in.mapping(), "a..b")).isEqualTo("a._.b");
        assertThat(settings().connection("c").securityProtocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void severalTopicsAndAFixedMeshTopic() {
        KafkaBridgeSettings s = settings();
        s.setTopic("a, b.c");
        s.setMeshTopic("readings");
        KafkaBridgeSettings.Inbound in = s.inbound();
        assertThat(in.topics()).containsExactly("a", "b.c");
        assertThat(KafkaBridgeSettings.meshTopic(in.mapping(), "b.c")).isEqualTo("readings");
    }

    @Test
    void badValuesNameTheirParameter() {
        KafkaBridgeSettings s = settings();
        s.setTopic("no spaces");
        assertThatThrownBy(s::outbound).hasMessageContaining("bridge parameter topic 'no spaces' is not a Kafka topic");
        KafkaBridgeSettings k = settings();
        k.setKey("colour");
        assertThatThrownBy(k::outbound).hasMessageContaining("bridge parameter key must be");
        KafkaBridgeSettings c = settings();
        c.setCompression("brotli");
        assertThatThrownBy(c::outbound).hasMessageContaining("compression must be one of");
        KafkaBridgeSettings r = settings();
        r.setMeshTopic("x.{rest}");
        assertThatThrownBy(r::inbound).hasMessageContaining("knows only the placeholder {topic}");
        KafkaBridgeSettings a = settings();
        a.setMeshTopic("alert.{topic}");
        assertThatThrownBy(a::inbound).hasMessageContaining("reserved for the Alertmanager ingest");
        KafkaBridgeSettings f = settings();
        f.setStartFrom("middle");
        assertThatThrownBy(f::inbound).hasMessageContaining("bridge parameter startFrom must be latest or earliest");
        KafkaBridgeSettings t = settings();
        t.setConnectTimeout("soon");
        assertThatThrownBy(() -> t.connection("c")).hasMessageContaining("connectTimeout");
    }

    @Test
    void thePasswordNeverPrints() {
        KafkaBridgeSettings s = settings();
        s.setSasl("PLAIN");
        s.setUser("bridge");
        s.setPassword("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2").contains("password set");
        assertThat(s.connection("c").toString()).doesNotContain("hunter2");
        s.setUser("");
        assertThatThrownBy(() -> s.connection("c")).hasMessageNotContaining("hunter2");
    }
}
