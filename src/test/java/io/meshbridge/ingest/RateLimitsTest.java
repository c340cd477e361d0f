package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per client, on a clock the test moves. */
class RateLimitsTest {

    @Test
    void aBurstOfTheRateThenTheRateItselfPerClient() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimits limits = new RateLimits(3, now::get);
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).as("burst of 3 used").isFalse();
        assertThat(limits.tryAcquire("b")).as("another client has its own bucket").isTrue();
        now.addAndGet(333_400_000L);
        assertThat(limits.tryAcquire("a")).as("one refilled after a third of a second").isTrue();
        assertThat(limits.tryAcquire("a")).isFalse();
        now.addAndGet(10_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryAcquire("a")).isTrue();
        }
        assertThat(limits.tryAcquire("a")).as("never more than the burst").isFalse();
    }

    @Test
    void zeroIsNoLimit() {
        RateLimits limits = new RateLimits(0, () -> 0L);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limits.tryAcquire("a")).isTrue();
        }
    }
}
