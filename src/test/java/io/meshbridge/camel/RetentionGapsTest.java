package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;

/** What counts as a retention gap, and the validation of its values. */
class RetentionGapsTest {

    @Test
    void aGapIsWhatTheStreamDroppedAfterWhatWasSettled() {
        assertThat(RetentionGaps.missing(101, 100)).isEmpty();
        assertThat(RetentionGaps.missing(50, 100)).isEmpty();
        assertThat(RetentionGaps.missing(151, 100)).get().satisfies(r -> assertThat(r).containsExactly(101, 150));
        assertThat(RetentionGaps.missing(3, 1)).get().satisfies(r -> assertThat(r).containsExactly(2, 2));
        // nothing settled yet: the route starts with what the stream has
        assertThat(RetentionGaps.missing(1, 0)).isEmpty();
        assertThat(RetentionGaps.missing(5000, 0)).isEmpty();
        assertThatThrownBy(() -> RetentionGaps.missing(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionGaps.missing(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theComponentsGapOptionsBindFromConfigurationText() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            MeshComponent mesh = new MeshComponent();
            assertThat(mesh.isGapEvents()).isTrue();
            assertThat(mesh.getGapCheckInterval()).isEqualTo(Duration.ofSeconds(30));
            PropertyBindingSupport.build().bind(ctx, mesh,
                    new java.util.HashMap<>(Map.of("gapCheckInterval", "10s", "gapEvents", "false")));
            assertThat(mesh.getGapCheckInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(mesh.isGapEvents()).isFalse();
            assertThatThrownBy(() -> mesh.setGapCheckInterval(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void valuesAreValidated() {
        RetentionGaps.Gap gap = new RetentionGaps.Gap("S", Instant.EPOCH, 4, 7, null, null);
        assertThat(gap.count()).isEqualTo(4);
        assertThatThrownBy(() -> new RetentionGaps.Gap("S", Instant.EPOCH, 0, 7, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionGaps.Gap("S", Instant.EPOCH, 8, 7, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionGaps.Source("S", "d", "events.>", "r", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node");
    }
}
