package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SequenceRangesTest {

    @Test
    void mergesNeighboursAndReportsHoles() {
        SequenceRanges r = new SequenceRanges();
        assertThat(r.add(5)).isTrue();
        assertThat(r.add(7)).isTrue();
        assertThat(r.add(6)).isTrue();
        assertThat(r.add(6)).isFalse();
        r.addRange(10, 12);
        r.addRange(1, 2);
        assertThat(r.ranges()).containsExactly(new SequenceRange(1, 2), new SequenceRange(5, 7),
                new SequenceRange(10, 12));
        assertThat(r.holes()).containsExactly(new SequenceRange(3, 4), new SequenceRange(8, 9));
        assertThat(r.count()).isEqualTo(8);
        r.addRange(2, 11);
        assertThat(r.ranges()).containsExactly(new SequenceRange(1, 12));
        assertThat(r.count()).isEqualTo(12);
        assertThat(r.min()).isEqualTo(1);
        assertThat(r.max()).isEqualTo(12);
    }

    @Test
    void fillUpToForgetsHolesBelowTheFloor() {
        SequenceRanges r = new SequenceRanges();
        List.of(1L, 3L, 5L, 9L).forEach(r::add);
        r.fillUpTo(6);
        assertThat(r.ranges()).containsExactly(new SequenceRange(1, 6), new SequenceRange(9, 9));
    }

    @Test
    void agreesWithASetOfSequences() {
        Random random = new Random(42);
        SequenceRanges r = new SequenceRanges();
        TreeSet<Long> expected = new TreeSet<>();
        for (int i = 0; i < 5000; i++) {
            long a = 1 + random.nextInt(2000);
            if (random.nextInt(4) == 0) {
                long b = a + random.nextInt(20);
                r.addRange(a, b);
                for (long s = a; s <= b; s++) {
                    expected.add(s);
                }
            } else {
                assertThat(r.add(a)).isEqualTo(expected.add(a));
            }
        }
        assertThat(r.count()).isEqualTo(expected.size());
        for (long s = 0; s <= 2100; s++) {
            assertThat(r.contains(s)).as("%d", s).isEqualTo(expected.contains(s));
        }
        long covered = r.ranges().stream().mapToLong(SequenceRange::count).sum();
        assertThat(covered).isEqualTo(expected.size());
    }
}
