package io.meshbridge.bridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.bridge.NatsPublisher;
import io.meshbridge.camel.MeshComponent;
import io.meshbridge.ingest.IngestConfig;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    private static NatsBridgeSettings nats() {
        NatsBridgeSettings s = new NatsBridgeSettings();
        s.setServers("nats://127.0.0.1:4222,nats://127.0.0.1:4223");
        s.setSubjectPrefix("events.");
        return s;
    }

    private static MqttBridgeSettings mqtt() {
        MqttBridgeSettings s = new MqttBridgeSettings();
        s.setBrokerUrl("tcp://127.0.0.1:1883");
        s.setTopicPrefix("mesh");
        s.setTopicFilter("sensors/#");
        return s;
    }

    @Test
    void natsDefaultsAreJetStreamWithATenSecondAck() {
        NatsBridgeSettings.Options o = nats().validated();
        assertThat(o.mode()).isEqualTo(NatsPublisher.Mode.JETSTREAM);
        assertThat(o.ackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.connection().servers()).hasSize(2);
        assertThat(o.meshId()).isNull();
        assertThat(o.forwardBridged()).isFalse();
    }

    @Test
    void natsErrorsNameTheParameterAndNeverTheSecret() {
        NatsBridgeSettings s = nats();
        s.setMode("fast");
        assertThatThrownBy(s::validated).hasMessageContaining("mode");
        s = nats();
        s.setServers("nats://bridge:hunter2-secret@127.0.0.1:4222");
        assertThatThrownBy(s::validated).hasMessageContaining("credentials").hasMessageNotContaining("hunter2");
        s = nats();
        s.setUser("u");
        s.setPassword("hunter2-secret");
        s.setToken("tok-secret");
        assertThatThrownBy(s::validated).hasMessageContaining("only one").hasMessageNotContaining("secret");
        s = nats();
        s.setUser("u");
        s.setPassword("hunter2-secret");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.validated().connection().toString()).doesNotContain("hunter2");
        s = nats();
        s.setSubjectPrefix(null);
        assertThatThrownBy(s::validated).hasMessageContaining("subjectPrefix");
        s = nats();
        s.setAckTimeout("soon");
        assertThatThrownBy(s::validated).hasMessageContaining("ackTimeout");
        s = nats();
        s.setTlsCert("/x.pem");
        assertThatThrownBy(s::validated).hasMessageContaining("tlsKey");
    }

    @Test
    void mqttSettingsAreCheckedAndKeepThePasswordOut() {
        MqttBridgeSettings s = mqtt();
        s.setUser("bridge");
        s.setPassword("hunter2-secret");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.connection("c").toString()).doesNotContain("hunter2").contains("password set");
        assertThat(s.outbound().maxInFlight()).isEqualTo(100);
        assertThat(s.inbound().receiveMaximum()).isEqualTo(100);
        s.setBrokerUrl("tcp://bridge:hunter2-secret@127.0.0.1:1883");
        assertThatThrownBy(() -> s.connection("c")).hasMessageContaining("credentials").hasMessageNotContaining("hunter2");
        MqttBridgeSettings t = mqtt();
        t.setBrokerUrl("http://127.0.0.1");
        assertThatThrownBy(() -> t.connection("c")).hasMessageContaining("brokerUrl");
        MqttBridgeSettings u = mqtt();
        u.setNonJson("drop");
        assertThatThrownBy(u::inbound).hasMessageContaining("nonJson");
        MqttBridgeSettings v = mqtt();
        v.setMeshTopic("alert.{rest}");
        assertThatThrownBy(v::inbound).hasMessageContaining("meshTopic").hasMessageContaining("reserved");
        MqttBridgeSettings w = mqtt();
        w.setTopicPrefix("mesh/+");
        assertThatThrownBy(w::outbound).hasMessageContaining("topicPrefix");
    }

    @Test
    void theTemplatesLoadAndMqttToMeshHasTheHttpIngestsLimits() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addComponent("mesh", new MeshComponent());
            for (String t : new String[] {"mesh-to-nats", "mesh-to-mqtt", "mqtt-to-mesh"}) {
                PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx,
                        "classpath:templates/" + t + ".yaml"));
            }
            ModelCamelContext model = (ModelCamelContext) ctx;
            RouteTemplateDefinition in = model.getRouteTemplateDefinition("mqtt-to-mesh");
            assertThat(in.getTemplateParameters()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("maxBody");
                assertThat(p.getDefaultValue()).isEqualTo(Integer.toString(IngestConfig.DEFAULT_MAX_BODY));
            });
            assertThat(in.getTemplateParameters()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("maxDepth");
                assertThat(p.getDefaultValue()).isEqualTo(Integer.toString(IngestConfig.defaults(
                        IngestConfig.Auth.NONE, io.meshbridge.ingest.IngestTokens.of(java.util.List.of())).maxDepth()));
            });
            assertThat(model.getRouteTemplateDefinition("mesh-to-nats")).isNotNull();
            assertThat(model.getRouteTemplateDefinition("mesh-to-mqtt")).isNotNull();
        }
    }
}
