package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubjectMappingTest {

    @Test
    void natsSubjectsAreThePrefixAndTheType() {
        assertThat(SubjectMapping.natsSubject("events.", "events.tool.crashed")).isEqualTo("events.tool.crashed");
        assertThat(SubjectMapping.natsSubject("mesh.a.", "events.tool.crashed")).isEqualTo("mesh.a.tool.crashed");
        assertThat(SubjectMapping.natsSubject("", "events.tool.crashed")).isEqualTo("tool.crashed");
    }

    @Test
    void mqttTopicsAreThePrefixAndTheTypeAsLevels() {
        assertThat(SubjectMapping.mqttTopic("mesh", "events.tool.crashed")).isEqualTo("mesh/tool/crashed");
        assertThat(SubjectMapping.mqttTopic("site/a", "events.user.x")).isEqualTo("site/a/user/x");
        assertThat(SubjectMapping.mqttTopic("", "events.tool.crashed")).isEqualTo("tool/crashed");
        assertThat(SubjectMapping.mqttTopic("m", "events.user.a/b+c#d")).isEqualTo("m/user/a_b_c_d");
    }

    @Test
    void prefixesAreCheckedNamingTheParameter() {
        assertThat(SubjectMapping.requireNatsPrefix("subjectPrefix", "events.")).isEqualTo("events.");
        assertThat(SubjectMapping.requireNatsPrefix("subjectPrefix", "")).isEmpty();
        assertThatThrownBy(() -> SubjectMapping.requireNatsPrefix("subjectPrefix", "mesh"))
                .hasMessageContaining("subjectPrefix").hasMessageContaining("end with '.'");
        assertThatThrownBy(() -> SubjectMapping.requireNatsPrefix("subjectPrefix", "a.*."))
                .hasMessageContaining("subjectPrefix");
        assertThatThrownBy(() -> SubjectMapping.requireNatsPrefix("subjectPrefix", null))
                .hasMessageContaining("required");
        assertThatThrownBy(() -> SubjectMapping.requireMqttPrefix("topicPrefix", "mesh/#"))
                .hasMessageContaining("topicPrefix");
        assertThatThrownBy(() -> SubjectMapping.requireMqttPrefix("topicPrefix", "mesh/"))
                .hasMessageContaining("topicPrefix");
        assertThatThrownBy(() -> SubjectMapping.natsSubject("x.", "other.subject")).hasMessageContaining("not an event");
    }
}
