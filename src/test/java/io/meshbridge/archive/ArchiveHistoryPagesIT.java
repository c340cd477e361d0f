package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.testing.NatsServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveHistory#archived}: pages of archived messages between two places of the history order. The
 * archive of stream {@code events} holds an earlier incarnation (sequences 1..5), the current one (1..60, five
 * hours apart, odd ones {@code user.x}, even ones {@code tool.started}; sequence 20 is not an event) and a later
 * one (1..3), plus stream {@code other}, which must never be answered. The stream itself is not asked (it does
 * not exist): only the connection's codec is used.
 */
class ArchiveHistoryPagesIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration STEP = Duration.ofHours(5);
    private static final Instant EARLIER = CREATED.minus(Duration.ofDays(30));
    private static final Instant LATER = T0.plus(Duration.ofDays(30));

    @TempDir
    static Path dir;

    private static ArchiveHistory history;

    @BeforeAll
    static void archive() throws Exception {
        List<ArchiveRecord> records = new ArrayList<>();
        for (long seq = 1; seq <= 5; seq++) {
            records.add(record("events", EARLIER, seq, "events.user.x", EARLIER.plusSeconds(seq)));
        }
        for (long seq = 1; seq <= 60; seq++) {
            records.add(seq == 20 ? new ArchiveRecord("events", CREATED, seq, "events.tool.started", time(seq),
                    "events:20", "{\"type\":\"Not A Type\"}".getBytes(StandardCharsets.UTF_8))
                    : record(seq, seq % 2 == 0 ? "events.tool.started" : "events.user.x", time(seq)));
        }
        for (long seq = 1; seq <= 3; seq++) {
            records.add(record("events", LATER, seq, "events.user.x", LATER.plusSeconds(seq)));
        }
        records.add(record("other", CREATED, 1, "events.user.x", time(1).plusSeconds(2)));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).layout("{yyyy}/{MM}/{dd}").build())) {
            writer.append(records);
        }
        history = ArchiveHistory.of(NATS.connect(), "events", dir);
    }

    @Test
    void pagesFollowTheOrderOfIncarnationsAndStopBeforeTheStreamsFirstMessage() throws Exception {
        ArchiveHistory.Mark streamFirst = new ArchiveHistory.Mark(CREATED, 51, time(51));
        List<String> read = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        ArchiveHistory.Mark after = null;
        while (true) {
            ArchiveHistory.Page page = history.archived("events.>", after, streamFirst, null, null, 12);
            read.addAll(places(page));
            sizes.add(page.result().events().size() + page.result().undecodable().size());
            if (!page.result().more()) {
                break;
            }
            after = page.last();
        }

        List<String> expected = new ArrayList<>();
        LongStream.rangeClosed(1, 5).forEach(s -> expected.add(EARLIER + "#" + s));
        LongStream.rangeClosed(1, 50).forEach(s -> expected.add(CREATED + "#" + s));
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(sizes).containsExactly(12, 12, 12, 12, 7);
    }

    @Test
    void withoutAnEndEveryIncarnationOfTheNameComesAndTheLastMarkIsTheLastMessage() throws Exception {
        ArchiveHistory.Page page = history.archived("events.>", new ArchiveHistory.Mark(CREATED, 58, time(58)), null,
                null, null, 100);

        assertThat(places(page)).containsExactly(CREATED + "#59", CREATED + "#60", LATER + "#1", LATER + "#2",
                LATER + "#3");
        assertThat(page.result().more()).isFalse();
        assertThat(page.last()).isEqualTo(new ArchiveHistory.Mark(LATER, 3, LATER.plusSeconds(3)));
    }

    @Test
    void aMarkWithoutTimeOrAtSequenceZeroStartsThere() throws Exception {
        ArchiveHistory.Mark end = new ArchiveHistory.Mark(CREATED, 4, null);
        assertThat(places(history.archived("events.>", new ArchiveHistory.Mark(CREATED, 0, null), end, null, null,
                10))).containsExactly(CREATED + "#1", CREATED + "#2", CREATED + "#3");
        assertThat(places(history.archived("events.>", new ArchiveHistory.Mark(EARLIER, 3, null), end, null, null,
                3))).containsExactly(EARLIER + "#4", EARLIER + "#5", CREATED + "#1");
    }

    @Test
    void theUndecodableCountTowardsTheLimitAndTheFilterAndTimesApply() throws Exception {
        ArchiveHistory.Page around = history.archived("events.tool.started", new ArchiveHistory.Mark(CREATED, 15,
                time(15)), null, null, null, 3);
        assertThat(places(around)).containsExactly(CREATED + "#16", CREATED + "#18", CREATED + "#20");
        assertThat(around.result().undecodable()).singleElement()
                .satisfies(e -> assertThat(e.position().sequence()).isEqualTo(20));
        assertThat(around.result().more()).isTrue();
        assertThat(around.last().sequence()).isEqualTo(20);

        ArchiveHistory.Page window = history.archived("events.user.x", null, null, time(30), time(37), 100);
        assertThat(places(window)).containsExactly(CREATED + "#31", CREATED + "#33", CREATED + "#35");
        assertThat(window.result().more()).isFalse();

        ArchiveHistory.Page none = history.archived("events.>", new ArchiveHistory.Mark(CREATED, 10, time(10)),
                new ArchiveHistory.Mark(CREATED, 11, time(11)), null, null, 5);
        assertThat(none.result().events()).isEmpty();
        assertThat(none.last()).isNull();
    }

    private static Instant time(long seq) {
        return T0.plus(STEP.multipliedBy(seq));
    }

    /** {@code <created>#<sequence>} of every message of the page, events and undecodable, in order. */
    private static List<String> places(ArchiveHistory.Page page) {
        List<ReceivedEvent> events = page.result().events();
        List<String> out = new ArrayList<>();
        for (ReceivedEvent e : events) {
            out.add(incarnation(e.position().time()) + "#" + e.position().sequence());
        }
        page.result().undecodable().forEach(e -> out.add(incarnation(e.position().time()) + "#"
                + e.position().sequence()));
        out.sort((a, b) -> order(a) == order(b) ? Long.compare(seq(a), seq(b)) : Integer.compare(order(a), order(b)));
        return out;
    }

    /** The incarnation a stored time belongs to in this archive. */
    private static Instant incarnation(Instant time) {
        return time.isBefore(CREATED) ? EARLIER : time.isBefore(LATER) ? CREATED : LATER;
    }

    private static int order(String place) {
        Instant created = Instant.parse(place.substring(0, place.indexOf('#')));
        return created.equals(EARLIER) ? 0 : created.equals(CREATED) ? 1 : 2;
    }

    private static long seq(String place) {
        return Long.parseLong(place.substring(place.indexOf('#') + 1));
    }
}
