package io.meshbridge.webhook.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The non-blocking limits of the webhook producer: in flight, per-subject order, rate. */
class InFlightLimitTest {

    private static final class Recorder implements InFlightLimit.Task {
        final String name;
        final List<String> log;

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void start() {
            log.add("start " + name);
        }

        @Override
        public void abandon() {
            log.add("abandon " + name);
        }
    }

    @Test
    void startsAtMostMaxAndHandsEachFreedPlaceToTheOldestQueued() {
        List<String> log = new ArrayList<>();
        InFlightLimit limit = new InFlightLimit(2);
        for (String n : List.of("a", "b", "c", "d")) {
            limit.run(new Recorder(n, log));
        }
        assertThat(log).containsExactly("start a", "start b");
        assertThat(limit.queued()).isEqualTo(2);
        limit.release();
        assertThat(log).containsExactly("start a", "start b", "start c");
        assertThat(limit.running()).isEqualTo(2);
        limit.drain().forEach(InFlightLimit.Task::abandon);
        assertThat(log).endsWith("abandon d");
        limit.release();
        limit.release();
        assertThat(limit.running()).isZero();
    }

    @Test
    void aSubjectsLaterEventsWaitForTheEarlierOneIncludingItsRetry() {
        List<String> log = new ArrayList<>();
        SubjectOrder order = new SubjectOrder();
        order.admit("s", 1, new Recorder("1", log));
        order.admit("s", 2, new Recorder("2", log));
        order.admit("t", 3, new Recorder("3", log));
        assertThat(log).containsExactly("start 1", "start 3");
        order.ended("s", 1, true, 0); // 1 will be retried: 2 still waits
        assertThat(log).containsExactly("start 1", "start 3");
        order.admit("s", 1, new Recorder("1 again", log)); // its redelivery goes first
        assertThat(log).endsWith("start 1 again");
        order.ended("s", 1, false, 0);
        assertThat(log).endsWith("start 2");
        assertThat(order.waiting()).isZero();
    }

    @Test
    void anOverdueRetryReleasesItsSubject() {
        List<String> log = new ArrayList<>();
        SubjectOrder order = new SubjectOrder();
        order.admit("s", 1, new Recorder("1", log));
        order.admit("s", 2, new Recorder("2", log));
        order.ended("s", 1, true, 1_000);
        assertThat(order.expire(1_500, 1_000)).isZero();
        assertThat(order.expire(2_000, 1_000)).isEqualTo(1);
        assertThat(log).containsExactly("start 1", "start 2");
    }

    @Test
    void thePacerSpacesStartsWithoutSavingUpBursts() {
        RatePacer pacer = new RatePacer(10, 0); // 100 ms apart
        assertThat(pacer.reserve(0)).isZero();
        assertThat(pacer.reserve(0)).isEqualTo(100_000_000L);
        assertThat(pacer.reserve(0)).isEqualTo(200_000_000L);
        assertThat(pacer.reserve(10_000_000_000L)).isZero(); // idle for a while: no burst credit
        assertThat(pacer.reserve(10_000_000_000L)).isEqualTo(100_000_000L);
        assertThat(new RatePacer(0, 0).reserve(5)).isZero();
        assertThat(new RatePacer(10, -5_000_000_000L).reserve(-5_000_000_000L)).isZero(); // a negative clock
    }
}
