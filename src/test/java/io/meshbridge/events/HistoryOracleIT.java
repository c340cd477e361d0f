package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * History checked against an independent oracle: a plain scan of the stream, message by message, with
 * {@code getMessage}. Streams are random, with skewed subject frequencies, deleted messages in the middle,
 * a purged head and undecodable messages.
 */
class HistoryOracleIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String[] SUBJECTS = {
        "events.tool.crashed", "events.tool.installed", "events.tool.started", "events.node.health",
        "events.node.joined", "events.user.training.complete", "events.user.a", "events.user.b.c",
        "events.tool.removed", "events.node.left"};

    private static final String[] FILTERS = {
        "events.>", "events.tool.*", "events.tool.crashed", "events.node.left", "events.user.>",
        "events.*.health", "events.user.none"};

    private Connection connection;
    private JetStreamManagement jsm;
    private String stream;

    @BeforeEach
    void setUp() throws Exception {
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        stream = NATS.uniqueName("HIST");
    }

    @AfterEach
    void tearDown() throws Exception {
        jsm.deleteStream(stream);
    }

    @ParameterizedTest(name = "{0} messages, seed {1}")
    @CsvSource({"1, 1", "150, 2", "2000, 3", "10000, 4"})
    void randomStreamsAgreeWithThePlainScan(int size, long seed) throws Exception {
        Random random = new Random(seed);
        PersistentBus pbus = fill(size, random);
        List<Stored> scan = scan();
        List<Long> sequences = scan.stream().map(Stored::seq).toList();
        List<Integer> limits = List.of(1, 7, 100, size, size + 5);
        for (String filter : FILTERS) {
            List<Stored> matched = scan.stream().filter(m -> SubjectMatch.matches(filter, m.subject())).toList();
            for (int limit : limits) {
                HistoryResult got = pbus.history(filter, limit);
                List<Long> expected = newest(matched, limit);
                assertThat(sequencesOf(got)).as("history(%s, %d)", filter, limit).isEqualTo(expected);
                assertThat(got.events()).hasSize((int) matched.stream().filter(m -> !m.bad()).limit(limit).count());
                assertThat(got.more()).as("more of history(%s, %d)", filter, limit)
                        .isEqualTo(matched.size() > expected.size());
            }
            for (int probe = 0; probe < 3 && !sequences.isEmpty(); probe++) {
                Stored pivot = scan.get(random.nextInt(scan.size()));
                Instant since = pivot.time();
                List<Stored> after = matched.stream().filter(m -> !m.time().isBefore(since)).toList();
                int limit = 1 + random.nextInt(200);
                HistoryResult got = pbus.historySince(filter, since, limit);
                List<Long> expected = oldest(after, limit);
                assertThat(sequencesOf(got)).as("historySince(%s, seq %d, %d)", filter, pivot.seq(), limit)
                        .isEqualTo(expected);
                assertThat(got.more()).isEqualTo(after.size() > expected.size());
            }
        }
    }

    @Test
    void emptyStreamAndNoMatchGiveEmptyAnswers() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", PersistConfig.defaults().withStreamName(stream));
        for (String filter : FILTERS) {
            assertThat(pbus.history(filter, 10)).isEqualTo(HistoryResult.EMPTY);
            assertThat(pbus.historySince(filter, Instant.EPOCH, 10)).isEqualTo(HistoryResult.EMPTY);
        }
    }

    private PersistentBus fill(int size, Random random) throws Exception {
        PersistConfig config = PersistConfig.defaults().withStreamName(stream).withLimits(java.time.Duration.ZERO, 0);
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        JetStream js = connection.jetStream();
        for (int i = 0; i < size; i++) {
            // skewed: subject k is chosen with a weight of 2^-k
            int k = Math.min(SUBJECTS.length - 1, Integer.numberOfTrailingZeros(random.nextInt() | (1 << 30)));
            String subject = SUBJECTS[k];
            byte[] payload;
            if (random.nextInt(50) == 0) {
                payload = "not json".getBytes(StandardCharsets.UTF_8);
            } else {
                String type = subject.substring("events.".length());
                payload = ("{\"type\":\"" + type + "\",\"node\":\"n\",\"timestamp\":\"2026-11-29T10:45:28Z\","
                        + "\"data\":{\"i\":" + i + "}}").getBytes(StandardCharsets.UTF_8);
            }
            js.publishAsync(subject, new Headers(), payload);
            if (i % 1000 == 999) {
                connection.flush(java.time.Duration.ofSeconds(10));
            }
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> jsm.getStreamInfo(stream).getStreamState().getMsgCount() == size);
        if (size > 10) {
            jsm.purgeStream(stream, io.nats.client.PurgeOptions.builder().sequence(size / 10 + 1).build());
            for (int d = 0; d < size / 20; d++) {
                long seq = size / 10 + 1 + random.nextInt(size - size / 10);
                try {
                    jsm.deleteMessage(stream, seq, false);
                } catch (JetStreamApiException alreadyDeleted) {
                    // the same sequence drawn twice
                }
            }
        }
        return pbus;
    }

    /** One stored message as the plain scan saw it; {@code bad} when it is the undecodable payload. */
    private record Stored(long seq, String subject, Instant time, boolean bad) {
    }

    /** The newest entries holding {@code limit} good ones, stopping at the limit-th good one. */
    private static List<Long> newest(List<Stored> matched, int limit) {
        List<Long> out = new ArrayList<>();
        int good = 0;
        for (int i = matched.size() - 1; i >= 0 && good < limit; i--) {
            out.add(0, matched.get(i).seq());
            good += matched.get(i).bad() ? 0 : 1;
        }
        return out;
    }

    /** The oldest entries holding {@code limit} good ones, stopping at the limit-th good one. */
    private static List<Long> oldest(List<Stored> matched, int limit) {
        List<Long> out = new ArrayList<>();
        int good = 0;
        for (int i = 0; i < matched.size() && good < limit; i++) {
            out.add(matched.get(i).seq());
            good += matched.get(i).bad() ? 0 : 1;
        }
        return out;
    }

    /** The oracle: every sequence from first to last, asked for one by one. */
    private List<Stored> scan() throws IOException, JetStreamApiException {
        StreamState state = jsm.getStreamInfo(stream).getStreamState();
        List<Stored> out = new ArrayList<>();
        for (long seq = state.getFirstSequence(); seq <= state.getLastSequence() && state.getMsgCount() > 0; seq++) {
            try {
                MessageInfo m = jsm.getMessage(stream, seq);
                out.add(new Stored(seq, m.getSubject(), m.getTime().toInstant(),
                        "not json".equals(new String(m.getData(), StandardCharsets.UTF_8))));
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() != 404) {
                    throw e;
                }
            }
        }
        return out;
    }

    private static List<Long> sequencesOf(HistoryResult result) {
        List<Long> out = new ArrayList<>();
        result.events().forEach(e -> out.add(e.position().sequence()));
        result.undecodable().forEach(e -> out.add(e.position().sequence()));
        out.sort(Long::compare);
        return out;
    }
}
