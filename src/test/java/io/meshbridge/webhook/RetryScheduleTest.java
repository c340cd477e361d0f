package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void theDefaultIsSecondsThenMinutesThenHoursWellUnderADay() {
        RetrySchedule d = RetrySchedule.DEFAULT;
        assertThat(d.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
        assertThat(d.total()).isEqualTo(Duration.ofHours(5).plusMinutes(42).plusSeconds(35));
        assertThat(d.maxAttempts()).isEqualTo(11);
        assertThat(d.toString()).isEqualTo(RetrySchedule.DEFAULT_TEXT);
        d.requireWithin(Duration.ofHours(24));
    }

    @Test
    void readsEveryUnitAndWritesItBack() {
        RetrySchedule s = RetrySchedule.parse(" 250ms, 1500ms ,2s,90m,120m, 3h");
        assertThat(s.delays()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(1500), Duration.ofSeconds(2),
                Duration.ofMinutes(90), Duration.ofHours(2), Duration.ofHours(3));
        assertThat(s.toString()).isEqualTo("250ms,1500ms,2s,90m,2h,3h");
        assertThat(RetrySchedule.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void namesTheBadElement() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,30x,2m"))
                .hasMessage("retry schedule element 2 ('30x') must be a whole number followed by ms, s, m or h,"
                        + " such as 30s");
        assertThatThrownBy(() -> RetrySchedule.parse("5s,,2m")).hasMessageContaining("element 2 ('')");
        assertThatThrownBy(() -> RetrySchedule.parse("5s,2m,")).hasMessageContaining("element 3 ('')");
        assertThatThrownBy(() -> RetrySchedule.parse("-5s")).hasMessageContaining("element 1 ('-5s')");
        assertThatThrownBy(() -> RetrySchedule.parse("1.5s")).hasMessageContaining("element 1 ('1.5s')");
        assertThatThrownBy(() -> RetrySchedule.parse("5")).hasMessageContaining("element 1 ('5')");
        assertThatThrownBy(() -> RetrySchedule.parse("5 s")).hasMessageContaining("element 1 ('5 s')");
        assertThatThrownBy(() -> RetrySchedule.parse("1s,0m")).hasMessage("retry schedule element 2 ('0m') must be"
                + " positive");
        assertThatThrownBy(() -> RetrySchedule.parse("9999999999h")).hasMessageContaining("element 1");
        assertThatThrownBy(() -> RetrySchedule.parse(" ")).hasMessageContaining("at least one delay");
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(1), Duration.ZERO)))
                .hasMessageContaining("element 2 ('0s') must be positive");
        assertThatThrownBy(() -> new RetrySchedule(List.of())).hasMessageContaining("at least one delay");
    }

    @Test
    void saysTheDelayAfterEachAttempt() {
        RetrySchedule s = RetrySchedule.parse("1s,2s");
        assertThat(s.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.delayAfter(3)).isNull();
        assertThatThrownBy(() -> s.delayAfter(0)).hasMessageContaining("start at 1");
    }

    @Test
    void refusesAScheduleLongerThanTheStreamKeepsEvents() {
        RetrySchedule s = RetrySchedule.parse("30m,30m,1h");
        s.requireWithin(Duration.ofHours(2));
        s.requireWithin(Duration.ZERO);
        assertThatThrownBy(() -> s.requireWithin(Duration.ofMinutes(119)))
                .hasMessage("retry schedule 30m,30m,1h takes 2h in all, longer than the stream's max age of 119m:"
                        + " events would be dropped before their last attempt");
    }
}
