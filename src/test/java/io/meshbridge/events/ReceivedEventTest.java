package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReceivedEventTest {

    private static final Event EVENT = Event.toolStarted("node-a", "calc");
    private static final byte[] RAW = "{\"type\":\"tool.started\"}".getBytes(UTF_8);
    private static final StreamPosition POSITION =
            new StreamPosition("MESH_EVENTS", 42, Instant.parse("2026-11-29T10:45:28.123456789Z"));

    private final ReceivedEvent received = new ReceivedEvent(EVENT, "events.tool.started", RAW, false, null, null);

    @Test
    void membersAreRequired() {
        assertThatThrownBy(() -> new ReceivedEvent(null, "s", RAW, false, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("event");
        assertThatThrownBy(() -> new ReceivedEvent(EVENT, null, RAW, false, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("subject");
        assertThatThrownBy(() -> new ReceivedEvent(EVENT, "s", null, false, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("raw");
    }

    @Test
    void rawIsSharedNotCopied() {
        assertThat(received.raw()).isSameAs(RAW);
    }

    @Test
    void withDeliveryPrefersTheMessageId() {
        ReceivedEvent delivered = received.withDelivery("msg-1", POSITION);

        assertThat(delivered.id()).isEqualTo("msg-1");
        assertThat(delivered.position()).isEqualTo(POSITION);
        assertThat(delivered.event()).isSameAs(EVENT);
        assertThat(delivered.raw()).isSameAs(RAW);
        assertThat(delivered.subject()).isEqualTo("events.tool.started");
        assertThat(received.id()).isNull();
    }

    @Test
    void withDeliveryFallsBackToThePositionsDerivedId() {
        assertThat(received.withDelivery(null, POSITION).id()).isEqualTo("MESH_EVENTS:42");
        assertThat(received.withDelivery("", POSITION).id()).isEqualTo("MESH_EVENTS:42");
    }

    @Test
    void withDeliveryOnCoreNatsHasAnIdOnlyFromTheHeader() {
        assertThat(received.withDelivery("msg-1", null).id()).isEqualTo("msg-1");
        assertThat(received.withDelivery(null, null).id()).isNull();
        assertThat(received.withDelivery(null, null).position()).isNull();
    }

    @Test
    void withDeliveryKeepsTheInferredFlag() {
        ReceivedEvent inferred = new ReceivedEvent(EVENT, "events.tool.started", RAW, true, null, null);

        assertThat(inferred.withDelivery("x", POSITION).typeInferred()).isTrue();
    }

    @Test
    void equalityComparesTheBytesByContent() {
        ReceivedEvent same = new ReceivedEvent(EVENT, "events.tool.started", RAW.clone(), false, null, null);
        byte[] other = RAW.clone();
        other[0] = ' ';

        assertThat(received).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(received).isNotEqualTo(new ReceivedEvent(EVENT, "events.tool.started", other, false, null, null));
        assertThat(received).isNotEqualTo(new ReceivedEvent(EVENT, "events.tool.x", RAW, false, null, null));
        assertThat(received).isNotEqualTo(new ReceivedEvent(EVENT, "events.tool.started", RAW, true, null, null));
        assertThat(received).isNotEqualTo(received.withDelivery("id", null));
        assertThat(received).isNotEqualTo(received.withDelivery(null, POSITION));
        assertThat(received).isNotEqualTo(null);
    }

    @Test
    void toStringShowsTheSizeNotTheBytes() {
        assertThat(received.withDelivery(null, POSITION).toString())
                .contains("bytes=" + RAW.length)
                .contains("subject=events.tool.started")
                .contains("id=MESH_EVENTS:42")
                .doesNotContain("[B@");
        assertThat(new ReceivedEvent(EVENT, "s", RAW, true, null, null).toString()).contains("type inferred");
    }
}
