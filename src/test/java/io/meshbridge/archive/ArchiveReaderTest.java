package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReaderTest {

    private static final String[] SUBJECTS = {"events.tool.started", "events.tool.crashed", "events.user.x.y"};

    @TempDir
    Path dir;

    /** Sequences 1..60, one minute apart, spread over subjects and hours, in files of all compressions. */
    private List<ArchiveRecord> fill() throws Exception {
        List<ArchiveRecord> all = new ArrayList<>();
        for (long seq = 1; seq <= 60; seq++) {
            all.add(record(seq, SUBJECTS[(int) (seq % 3)], T0.plus(Duration.ofMinutes(seq))));
        }
        Compression[] compressions = Compression.values();
        for (int w = 0; w < 3; w++) {
            try (ArchiveWriter writer = ArchiveWriter.open(config(dir).workerId("w" + w)
                    .compression(compressions[w]).rollBytes(700).build())) {
                // out of order within and across batches, as redeliveries come
                List<ArchiveRecord> mine = new ArrayList<>(all.subList(w * 20, w * 20 + 20));
                java.util.Collections.reverse(mine);
                writer.append(mine.subList(0, 10));
                writer.append(mine.subList(10, 20));
            }
        }
        return all;
    }

    @Test
    void readsEverythingInSequenceOrderWithTheExactPayloads() throws Exception {
        List<ArchiveRecord> all = fill();
        ArchiveReader reader = ArchiveReader.open(dir);
        assertThat(reader.fileCount()).isGreaterThan(9);
        List<ArchiveRecord> events = reader.read(ArchiveQuery.all()).toList();
        assertThat(events).extracting(ArchiveRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
        for (int i = 0; i < 60; i++) {
            ArchiveRecord r = all.get(i);
            assertThat(events.get(i)).isEqualTo(new ArchiveRecord(r.stream(), r.streamCreated(), r.sequence(),
                    r.subject(), r.time(), r.id(), r.payload()));
        }
    }

    @Test
    void filtersByTimeRangeAndSubject() throws Exception {
        fill();
        ArchiveReader reader = ArchiveReader.open(dir);
        Instant since = T0.plus(Duration.ofMinutes(10));
        Instant until = T0.plus(Duration.ofMinutes(40));
        assertThat(reader.read(new ArchiveQuery(since, until, null)).map(ArchiveRecord::sequence).toList())
                .containsExactlyElementsOf(LongStream.range(10, 40).boxed().toList());
        assertThat(reader.read(new ArchiveQuery(null, null, "events.tool.*")).map(ArchiveRecord::sequence).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).filter(s -> s % 3 != 2).boxed().toList());
        assertThat(reader.read(new ArchiveQuery(since, until, "events.user.>")).map(ArchiveRecord::sequence).toList())
                .containsExactlyElementsOf(LongStream.range(10, 40).filter(s -> s % 3 == 2).boxed().toList());
        assertThat(reader.read(new ArchiveQuery(null, null, "events.user.*")).count()).isZero();
    }

    @Test
    void ordersStreamIncarnationsByCreationTime() throws Exception {
        Instant recreated = CREATED.plus(Duration.ofDays(1));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(List.of(ArchiveTesting.record("events", recreated, 1, "events.a", T0.plusSeconds(10)),
                    ArchiveTesting.record("events", CREATED, 2, "events.a", T0),
                    ArchiveTesting.record("events", CREATED, 1, "events.a", T0)));
        }
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all())
                .map(e -> e.streamCreated() + "#" + e.sequence()).toList())
                .containsExactly(CREATED + "#1", CREATED + "#2", recreated + "#1");
    }
}
