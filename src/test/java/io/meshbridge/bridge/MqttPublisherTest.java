package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttPublisherTest {

    @Test
    void refusalsThatCannotChangeArePermanentOthersAreRetried() {
        assertThat(MqttPublisher.permanent(0x87)).as("not authorised").isTrue();
        assertThat(MqttPublisher.permanent(0x90)).as("topic name invalid").isTrue();
        assertThat(MqttPublisher.permanent(0x95)).as("packet too large").isTrue();
        assertThat(MqttPublisher.permanent(0x99)).as("payload format invalid").isTrue();
        assertThat(MqttPublisher.permanent(0x80)).as("unspecified").isFalse();
        assertThat(MqttPublisher.permanent(0x83)).as("implementation specific").isFalse();
        assertThat(MqttPublisher.permanent(0x97)).as("quota exceeded").isFalse();
    }
}
