package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The longest a failing event can be retried, checked against a stream's max age at a route's start. */
class MeshRetrySpanTest {

    private static MeshConfiguration config(String backoff, int maxDeliver) {
        MeshConfiguration c = new MeshConfiguration();
        c.setBackoff(backoff);
        c.setMaxDeliver(maxDeliver);
        return c;
    }

    @Test
    void everyRetryMayWaitTheLongestDelayBecauseRetryAfterCanLengthenOne() {
        // the webhook default: 11 attempts, the longest delay 1 h
        assertThat(config("5s,30s,2m,10m,30m,1h,1h,1h,1h,1h", 11).retrySchedule().span()).isEqualTo(Duration.ofHours(10));
        assertThat(config("1s,5s,30s", 5).retrySchedule().span()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config("1s", 1).retrySchedule().span()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aScheduleThatCanOutlastTheStreamFailsNamingBothOptions() {
        MeshConfiguration c = config("5s,30s,2m,10m,30m,1h,1h,1h,1h,1h", 11);
        c.retrySchedule().requireWithin(Duration.ofHours(24), "MESH_EVENTS");
        c.retrySchedule().requireWithin(Duration.ZERO, "MESH_EVENTS"); // unlimited
        assertThatThrownBy(() -> c.retrySchedule().requireWithin(Duration.ofHours(8), "MESH_EVENTS"))
                .hasMessageContaining("backoff=5s,30s").hasMessageContaining("maxDeliver=11")
                .hasMessageContaining("PT10H").hasMessageContaining("PT8H");
    }
}
