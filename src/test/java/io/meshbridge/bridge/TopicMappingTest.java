package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicMappingTest {

    @Test
    void theWholeTopicOrItsRestBecomeTokens() {
        assertThat(new TopicMapping("plant/+/temp", "{topic}").meshTopic("plant/p1/temp")).isEqualTo("plant.p1.temp");
        assertThat(new TopicMapping("plant/+/temp", "sensors.{rest}").meshTopic("plant/p1/temp"))
                .isEqualTo("sensors.p1.temp");
        assertThat(new TopicMapping("a/b/#", "x.{rest}").meshTopic("a/b")).isEqualTo("x._");
        assertThat(new TopicMapping("#", "readings").meshTopic("anything/at/all")).isEqualTo("readings");
    }

    @Test
    void foreignCharactersAndEmptyLevelsBecomeSafeTokens() {
        TopicMapping m = new TopicMapping("#", "{topic}");
        assertThat(m.meshTopic("/dev/a.b c/")).isEqualTo("_.dev.a_b_c._");
        assertThat(m.meshTopic("caf\u00e9/*/>")).isEqualTo("caf_._._");
    }

    @Test
    void noBrokerTopicReachesAReservedOrInvalidTopic() {
        TopicMapping m = new TopicMapping("#", "{topic}");
        assertThatThrownBy(() -> m.meshTopic("alert/fired")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> m.meshTopic("alertmanager")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> m.meshTopic("a/".repeat(20) + "z")).hasMessageContaining("tokens");
        assertThatThrownBy(() -> m.meshTopic(("abcdefghij/").repeat(19))).hasMessageContaining("maps to no valid");
    }

    @Test
    void thePatternIsCheckedAtStart() {
        assertThatThrownBy(() -> new TopicMapping("#", "")).hasMessageContaining("meshTopic");
        assertThatThrownBy(() -> new TopicMapping("#", "x.{other}")).hasMessageContaining("placeholders");
        assertThatThrownBy(() -> new TopicMapping("#", "alert.{topic}")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new TopicMapping("#", "a..{topic}")).hasMessageContaining("meshTopic");
    }
}
