package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamPositionTest {

    private static final Instant TIME = Instant.parse("2026-11-29T10:45:28.123456789Z");

    @Test
    void derivedIdIsStreamColonSequence() {
        assertThat(new StreamPosition("MESH_EVENTS", 1, TIME).derivedId()).isEqualTo("MESH_EVENTS:1");
        assertThat(new StreamPosition("S", Long.MAX_VALUE, TIME).derivedId()).isEqualTo("S:9223372036854775807");
    }

    @Test
    void sequenceStartsAtOne() {
        assertThatThrownBy(() -> new StreamPosition("S", 0, TIME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream sequence must be at least 1, was 0");
        assertThatThrownBy(() -> new StreamPosition("S", -5, TIME)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamAndTimeAreRequired() {
        assertThatThrownBy(() -> new StreamPosition(null, 1, TIME)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StreamPosition("S", 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalPositionsAreEqual() {
        assertThat(new StreamPosition("S", 7, TIME)).isEqualTo(new StreamPosition("S", 7, TIME))
                .isNotEqualTo(new StreamPosition("S", 8, TIME))
                .isNotEqualTo(new StreamPosition("T", 7, TIME));
    }

    @Test
    void timeKeepsNanoseconds() {
        assertThat(new StreamPosition("S", 1, TIME).time().getNano()).isEqualTo(123_456_789);
    }
}
