package io.meshbridge.bridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.camel.MeshComponent;
import io.meshbridge.ingest.IngestConfig;
import io.meshbridge.ingest.IngestTokens;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
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
    void theTemplatesLoadAndKafkaToMeshHasTheHttpIngestsLimits() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addComponent("mesh", new MeshComponent());
            for (String t : new String[] {"mesh-to-kafka", "kafka-to-mesh"}) {
                PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx,
                        "classpath:templates/" + t + ".yaml"));
            }
            ModelCamelContext model = (ModelCamelContext) ctx;
            RouteTemplateDefinition in = model.getRouteTemplateDefinition("kafka-to-mesh");
            IngestConfig http = IngestConfig.defaults(IngestConfig.Auth.NONE, IngestTokens.of(List.of()));
            assertThat(in.getTemplateParameters()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("maxBody");
                assertThat(p.getDefaultValue()).isEqualTo(Integer.toString(http.maxBody()));
            });
            assertThat(in.getTemplateParameters()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("maxDepth");
                assertThat(p.getDefaultValue()).isEqualTo(Integer.toString(http.maxDepth()));
            });
            // every bean property the templates set is one the settings bean takes
            for (String t : new String[] {"mesh-to-kafka", "kafka-to-mesh"}) {
                for (String prop : model.getRouteTemplateDefinition(t).getTemplateBeans().get(0).getProperties()
                        .keySet()) {
                    assertThat(KafkaBridgeSettings.class.getMethods()).as(t + " sets " + prop)
                            .anyMatch(m -> m.getName().equalsIgnoreCase("set" + prop));
                }
            }
        }
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
