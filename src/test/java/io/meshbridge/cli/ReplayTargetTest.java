package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

class ReplayTargetTest {

    @Test
    void replayStreamPutsThePrefixBeforeTheOriginalSubject() {
        ReplayTarget target = ReplayTarget.replayStream("MESH_REPLAY", "replay");

        assertThat(target.intoEvents()).isFalse();
        assertThat(target.subject("events.tool.crashed")).isEqualTo("replay.events.tool.crashed");
        assertThat(target.subjects()).isEqualTo("replay.>");
        assertThat(target.describeSubjects()).isEqualTo("subject prefix replay");
        assertThat(ReplayTarget.replayStream("R", "replay.today-2").subject("events.a"))
                .isEqualTo("replay.today-2.events.a");
    }

    @Test
    void eventStreamKeepsTheOriginalSubject() {
        ReplayTarget target = ReplayTarget.eventStream("MESH_EVENTS");

        assertThat(target.intoEvents()).isTrue();
        assertThat(target.subject("events.tool.crashed")).isEqualTo("events.tool.crashed");
        assertThat(target.describeSubjects()).isEqualTo("original subjects");
        assertThatThrownBy(target::subjects).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReplayStreamIsFileStoredWithLimitsAndADuplicateWindow() {
        StreamConfiguration config = ReplayTarget.replayStream("MESH_REPLAY", "replay").streamConfiguration();

        assertThat(config.getName()).isEqualTo("MESH_REPLAY");
        assertThat(config.getSubjects()).containsExactly("replay.>");
        assertThat(config.getStorageType()).isEqualTo(StorageType.File);
        assertThat(config.getMaxAge()).isEqualTo(ReplayTarget.MAX_AGE);
        assertThat(config.getDuplicateWindow()).isEqualTo(ReplayTarget.DUPLICATE_WINDOW);
    }

    @Test
    void prefixesThatAreNotPlainTokensAreRefused() {
        for (String bad : new String[] {"", "replay.", ".replay", "re play", "replay.*", "replay.>", ">", "a..b",
            "x".repeat(101)}) {
            assertThatThrownBy(() -> ReplayTarget.replayStream("R", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("subject prefix '" + bad + "' must be up to 100 characters");
        }
    }

    @Test
    void prefixesThatLandAmongTheLiveEventsAreRefused() {
        assertThatThrownBy(() -> ReplayTarget.replayStream("R", "events"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject prefix 'events' would put the replayed events among the live events"
                        + " (events....); to replay into the event stream use --into-events");
        assertThatThrownBy(() -> ReplayTarget.replayStream("R", "events.old"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ReplayTarget.replayStream("R", "events-old").subject("events.a")).isEqualTo("events-old.events.a");
    }

    @Test
    void streamNamesFollowTheJetStreamRules() {
        assertThatThrownBy(() -> ReplayTarget.replayStream("MY.REPLAY", "replay"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream name 'MY.REPLAY' must be 1 to 255 letters, digits, '_' or '-'");
        assertThatThrownBy(() -> ReplayTarget.eventStream(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
