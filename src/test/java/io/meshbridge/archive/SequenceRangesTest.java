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

    /** Mostly ascending adds (the archive's order), which the highest range takes in its fields, mixed with the rest. */
    @Test
    void agreesWithASetOfSequencesWhenAddedMostlyInOrder() {
        Random random = new Random(7);
        SequenceRanges r = new SequenceRanges();
        TreeSet<Long> expected = new TreeSet<>();
        long next = 1;
        for (int i = 0; i < 4000; i++) {
            int what = random.nextInt(20);
            if (what == 0) {
                long a = 1 + random.nextInt((int) next + 5);
                long b = a + random.nextInt(5);
                r.addRange(a, b);
                for (long s = a; s <= b; s++) {
                    expected.add(s);
                }
            } else if (what == 1) {
                long a = 1 + random.nextInt((int) next + 5);
                assertThat(r.add(a)).isEqualTo(expected.add(a));
            } else if (what == 2) {
                next += 1 + random.nextInt(3); // a hole
                assertThat(r.add(next)).isEqualTo(expected.add(next));
            } else if (what == 3) {
                SequenceRanges other = new SequenceRanges();
                long a = next + random.nextInt(4);
                other.add(a);
                other.add(a + 1);
                r.addAll(other);
                expected.add(a);
                expected.add(a + 1);
                assertThat(other.count()).isEqualTo(2);
                assertThat(other.contains(a + 1)).isTrue();
            } else {
                assertThat(r.add(next)).isEqualTo(expected.add(next));
            }
            next = Math.max(next, expected.last()) + 1;
            assertThat(r.count()).isEqualTo(expected.size());
            assertThat(r.max()).isEqualTo(expected.last());
            assertThat(r.min()).isEqualTo(expected.first());
            assertThat(r.size()).isEqualTo(runs(expected));
            if (i % 97 == 0) {
                for (long s = 0; s <= next + 2; s++) {
                    assertThat(r.contains(s)).as("%d", s).isEqualTo(expected.contains(s));
                }
                assertThat(r.ranges().stream().mapToLong(SequenceRange::count).sum()).isEqualTo(expected.size());
                assertThat(r.holes()).hasSize(runs(expected) - 1);
            }
        }
        assertThat(r.isEmpty()).isFalse();
        assertThat(new SequenceRanges().isEmpty()).isTrue();
    }

    @Test
    void anAddInOrderAfterTheHighestRangeWasStoredExtendsIt() {
        SequenceRanges r = new SequenceRanges();
        r.addRange(1, 3);
        assertThat(r.add(4)).isTrue();
        assertThat(r.add(5)).isTrue();
        assertThat(r.add(3)).isFalse();
        assertThat(r.ranges()).containsExactly(new SequenceRange(1, 5));
        assertThat(r.add(6)).isTrue();
        r.fillUpTo(2);
        assertThat(r.ranges()).containsExactly(new SequenceRange(1, 6));
        assertThat(r.count()).isEqualTo(6);
    }

    /** A file of one event type among ten: a hole after each of its events; the floor's fill merges them again. */
    @Test
    void everyTenthSequenceIsARangeEachUntilAFillMergesThem() {
        SequenceRanges r = new SequenceRanges();
        for (long s = 3; s <= 100_003; s += 10) {
            assertThat(r.add(s)).isTrue();
        }
        assertThat(r.size()).isEqualTo(10_001);
        assertThat(r.contains(50_003)).isTrue();
        assertThat(r.contains(50_004)).isFalse();
        r.fillUpTo(99_000);
        assertThat(r.size()).isEqualTo(102); // 3..99,000 and the 101 above it
        assertThat(r.ranges().get(0)).isEqualTo(new SequenceRange(3, 99_000));
        assertThat(r.count()).isEqualTo(99_000 - 3 + 1 + 101);
        assertThat(r.add(99_001)).isTrue(); // below the highest range, after the shrink
        assertThat(r.add(100_013)).isTrue();
        assertThat(r.max()).isEqualTo(100_013);
        assertThat(r.contains(99_001)).isTrue();
        assertThat(r.contains(99_002)).isFalse();
    }

    private static int runs(TreeSet<Long> set) {
        int runs = 0;
        long previous = Long.MIN_VALUE;
        for (long s : set) {
            if (s != previous + 1) {
                runs++;
            }
            previous = s;
        }
        return runs;
    }
}
