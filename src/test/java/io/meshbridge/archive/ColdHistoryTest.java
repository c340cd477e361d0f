package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.HistoryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's part of a combined history, on an archive spanning days: stream {@code events}, sequences
 * 1..60 five hours apart, the stream's boundary at sequence 51. Also an earlier incarnation, a later one and
 * another stream name, which must be told apart.
 */
class ColdHistoryTest {

    private static final Duration STEP = Duration.ofHours(5);
    private static final Instant EARLIER = CREATED.minus(Duration.ofDays(30));
    /** Created while the current incarnation still runs: only foreign data has that, yet it must not count. */
    private static final Instant LATER = T0.plus(Duration.ofHours(100));

    @TempDir
    static Path dir;

    private static ColdHistory cold;
    private static HistoryBoundary boundary;

    @BeforeAll
    static void archive() throws Exception {
        List<ArchiveRecord> records = new ArrayList<>();
        for (long seq = 1; seq <= 60; seq++) {
            records.add(record(seq, seq % 2 == 0 ? "events.tool.started" : "events.user.x", time(seq)));
        }
        records.add(record("events", EARLIER, 7, "events.user.x", EARLIER.plusSeconds(1)));
        records.add(record("events", LATER, 1, "events.user.x", LATER.plusSeconds(1)));
        records.add(record("other", CREATED, 1, "events.user.x", time(1).plusSeconds(2)));
        // a file a day (and incarnation): the windows skip whole files by their manifests
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).layout("{yyyy}/{MM}/{dd}").build())) {
            writer.append(records);
        }
        cold = new ColdHistory(dir, EventCodec.defaults());
        boundary = new HistoryBoundary("events", CREATED, 51, time(51));
    }

    @Test
    void newestGoesBackInGrowingWindowsAndTellsWhetherOlderExist() throws Exception {
        // the 64-hour window holds exactly 12: only a look further back tells that older ones exist
        HistoryEntries twelve = cold.newest(boundary, "events.>", 12);
        assertThat(sequences(twelve)).containsExactlyElementsOf(range(39, 50));
        assertThat(twelve.more()).isTrue();

        HistoryEntries thirteen = cold.newest(boundary, "events.>", 13);
        assertThat(sequences(thirteen)).containsExactlyElementsOf(range(38, 50));
        assertThat(thirteen.more()).isTrue();

        HistoryEntries all = cold.newest(boundary, "events.>", 52);
        assertThat(sequences(all)).containsExactlyElementsOf(concat(List.of(7L), range(1, 50)));
        assertThat(all.more()).isFalse();

        HistoryEntries exactly = cold.newest(boundary, "events.>", 51);
        assertThat(sequences(exactly)).containsExactlyElementsOf(concat(List.of(7L), range(1, 50)));
        assertThat(exactly.more()).isFalse();

        HistoryEntries started = cold.newest(boundary, "events.tool.*", 3);
        assertThat(sequences(started)).containsExactly(46L, 48L, 50L);
        assertThat(started.more()).isTrue();
    }

    @Test
    void forwardStopsAtTheLimitOrTheBoundary() throws Exception {
        HistoryEntries five = new HistoryEntries();
        assertThat(cold.forward(boundary, time(10), "events.>", 5, five)).isTrue();
        assertThat(sequences(five)).containsExactlyElementsOf(range(10, 14));

        HistoryEntries rest = new HistoryEntries();
        assertThat(cold.forward(boundary, time(10), "events.>", 100, rest)).isFalse();
        assertThat(sequences(rest)).containsExactlyElementsOf(range(10, 50));

        HistoryEntries upToTheBoundary = new HistoryEntries();
        assertThat(cold.forward(boundary, time(50), "events.>", 1, upToTheBoundary)).isFalse();
        assertThat(sequences(upToTheBoundary)).containsExactly(50L);

        HistoryEntries beyond = new HistoryEntries();
        assertThat(cold.forward(boundary, time(52), "events.>", 10, beyond)).isFalse();
        assertThat(beyond.events()).isZero();
    }

    @Test
    void withoutAStreamEveryIncarnationOfTheNameCounts() throws Exception {
        HistoryEntries all = cold.newest(HistoryBoundary.noStream("events"), "events.>", 100);
        HistoryResult result = all.result(all.more());
        assertThat(result.events()).extracting(e -> e.position().sequence())
                .containsExactlyElementsOf(concat(concat(List.of(7L), range(1, 60)), List.of(1L)));
        assertThat(result.events()).extracting(e -> e.position().stream()).containsOnly("events");
        assertThat(cold.any(HistoryBoundary.noStream("nothing"), "events.>")).isFalse();
        assertThat(cold.any(HistoryBoundary.noStream("other"), "events.>")).isTrue();
    }

    @Test
    void aMissingDirectoryHoldsNothingAndAFileIsAClearError(@TempDir Path other) throws Exception {
        ColdHistory missing = new ColdHistory(other.resolve("missing"), EventCodec.defaults());
        assertThat(missing.newest(boundary, "events.>", 10).events()).isZero();
        assertThat(missing.any(boundary, "events.>")).isFalse();

        Path file = Files.writeString(other.resolve("file.txt"), "x");
        ColdHistory notADirectory = new ColdHistory(file, EventCodec.defaults());
        assertThatThrownBy(() -> notADirectory.any(boundary, "events.>"))
                .isInstanceOf(ArchiveReadException.class)
                .hasMessage("archive directory " + file + " is not a directory");
    }

    @Test
    void aBrokenManifestIsAClearErrorNamingTheDirectory(@TempDir Path other) throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(other).build())) {
            writer.append(List.of(record(1, "events.user.x", time(1))));
        }
        Path manifest = ArchiveTesting.files(other, ".manifest.json").get(0);
        Files.writeString(manifest, "{");
        ColdHistory broken = new ColdHistory(other, EventCodec.defaults());

        assertThatThrownBy(() -> broken.newest(boundary, "events.>", 10))
                .isInstanceOf(ArchiveReadException.class)
                .hasMessageStartingWith("cannot list archive directory " + other + ": ");
    }

    private static Instant time(long seq) {
        return T0.plus(STEP.multipliedBy(seq));
    }

    private static List<Long> sequences(HistoryEntries entries) {
        return entries.result(false).events().stream().map(e -> e.position().sequence()).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
