package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.Error;
import io.nats.client.support.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheFirstPauseUpToTheMax() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0);
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.ceiling(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(b.ceiling(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void jitterOnlyShortensAPauseByAtMostItsFraction() {
        Backoff b = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));
        boolean varied = false;
        for (int i = 0; i < 1000; i++) {
            Duration d = b.delay(4);
            assertThat(d).isBetween(Duration.ofMillis(640), Duration.ofMillis(800));
            varied |= !d.equals(Duration.ofMillis(800));
        }
        assertThat(varied).isTrue();
    }

    @Test
    void attemptsCountFailuresAndStartAgainAfterASuccess() {
        Backoff.Attempts a = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0).attempts();
        assertThat(a.next()).isEqualTo(Duration.ofMillis(50));
        assertThat(a.atMax()).isFalse();
        assertThat(a.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(a.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(a.atMax()).isTrue();
        assertThat(a.failures()).isEqualTo(3);
        a.reset();
        assertThat(a.failures()).isZero();
        assertThat(a.next()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void refusesPausesThatMakeNoSense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessageContaining("first pause");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("max pause");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(1)).ceiling(0))
                .hasMessageContaining("attempt");
    }

    @Test
    void tellsPassingFailuresFromPermanentOnes() {
        assertThat(Backoff.isRetryable(new IOException("timed out"))).isTrue();
        assertThat(Backoff.isRetryable(new TimeoutException())).isTrue();
        assertThat(Backoff.isRetryable(new IllegalStateException("Connection is Closed"))).isTrue();
        assertThat(Backoff.isRetryable(new RuntimeException("wrapped", new IOException("x")))).isTrue();
        assertThat(Backoff.isRetryable(new JetStreamApiException(Error.convert(new Status(503, "No Responders")))))
                .isTrue();
        assertThat(Backoff.isRetryable(new JetStreamApiException(Error.JsNoMessageFoundErr))).isFalse();
        assertThat(Backoff.isRetryable(new IllegalArgumentException("bad"))).isFalse();
        assertThat(Backoff.isRetryable(null)).isFalse();
    }
}
