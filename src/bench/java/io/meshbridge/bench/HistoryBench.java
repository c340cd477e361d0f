package io.meshbridge.bench;

import io.meshbridge.events.Event;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.StreamInfoOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * History: the last 100 {@code tool.crashed} events of a stream of 10,000 events over ten subjects, and a
 * query nothing matches. The baseline is the reference algorithm in its correct form: an ordered consumer
 * from the start of the stream reading every match, keeping the last 100, stopping after 500 ms without a
 * message. Both must give the same sequences.
 */
final class HistoryBench {

    static final String MATCH = "events." + SampleEvents.CRASHED;
    static final String NO_MATCH = "events.user.nomatch";
    static final int LIMIT = 100;
    private static final Duration IDLE = Duration.ofMillis(500);

    /** How the event types are spread over the stream; {@code typeAt} picks the type of each position. */
    record Mix(String name, IntFunction<Event> typeAt) {
    }

    /** One round: latencies in ms, and the messages the connection received per query, of each query. */
    record Latencies(Stats match, Stats none, double matchMsgs, double noneMsgs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "last 100 p50 %s p99 %s (%.0f msgs in/query), no match p50 %s"
                    + " p99 %s (%.0f msgs in/query)", ms(match.percentile(50)), ms(match.percentile(99)),
                    matchMsgs, ms(none.percentile(50)), ms(none.percentile(99)), noneMsgs);
        }

        private static String ms(double v) {
            return Stats.Unit.MILLIS.format(v);
        }
    }

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final JetStream js;
    private final PersistentBus bus;
    private final Map<String, List<Long>> expected = new HashMap<>();
    private long mismatches;

    HistoryBench(Connection connection) throws Exception {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.js = connection.jetStream();
        if (jsm.getStreamNames().contains(PersistConfig.DEFAULT_STREAM)) {
            jsm.deleteStream(PersistConfig.DEFAULT_STREAM); // created again below with the reference defaults
        }
        this.bus = PersistentBus.open(connection, "bench", PersistConfig.defaults());
    }

    /** Realistic skew: health reports dominate, 4% crashes, shuffled uniformly over time. */
    static Mix skewed(long seed) {
        int[] weights = {8, 8, 12, 12, 4, 3, 5, 5, 40, 3};
        Random random = new Random(seed);
        return new Mix("skewed (4% crashes)", i -> pick(weights, random));
    }

    /** Every type equally often. */
    static Mix uniform(long seed) {
        Random random = new Random(seed);
        return new Mix("uniform (10% crashes)", i -> SampleEvents.ALL.get(random.nextInt(SampleEvents.ALL.size())));
    }

    /** An old incident: crashes only among the oldest fifth of the stream (20% there), none since. */
    static Mix oldBurst(long seed, int events) {
        int[] quiet = {8, 8, 12, 12, 0, 3, 5, 5, 40, 3};
        Random random = new Random(seed);
        Event crashed = SampleEvents.ofType(SampleEvents.CRASHED);
        return new Mix("crashes only in the oldest 20%",
                i -> i < events / 5 && random.nextInt(5) == 0 ? crashed : pick(quiet, random));
    }

    private static Event pick(int[] weights, Random random) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int k = 0; ; k++) {
            r -= weights[k];
            if (r < 0) {
                return SampleEvents.ALL.get(k);
            }
        }
    }

    /** Empties the stream and stores {@code events} events of the mix; returns how many match. */
    long fill(Mix mix, int events) throws Exception {
        jsm.purgeStream(bus.config().streamName());
        for (int i = 0; i < events; i++) {
            bus.emitAsync(mix.typeAt().apply(i));
        }
        bus.awaitInFlight(Duration.ofSeconds(60));
        long stored = jsm.getStreamInfo(bus.config().streamName()).getStreamState().getMsgCount();
        if (stored != events) {
            throw new IllegalStateException("stream holds " + stored + " messages, expected " + events);
        }
        return jsm.getStreamInfo(bus.config().streamName(), StreamInfoOptions.filterSubjects(MATCH))
                .getStreamState().getSubjectMap().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether product and reference agree, printed; {@code false} when they do not. The reference's answers
     * are kept: every measured product answer is compared with them ({@link #mismatches()}).
     */
    boolean check() throws Exception {
        boolean ok = true;
        for (String filter : List.of(MATCH, NO_MATCH)) {
            List<Long> product = sequences(bus.history(filter, LIMIT));
            List<Long> reference = reference(filter);
            expected.put(filter, reference);
            boolean same = product.equals(reference);
            ok &= same;
            System.out.printf("  answers for %s: %s (%d events%s)%n", filter,
                    same ? "product = reference" : "!!! MISMATCH: product " + product + " reference " + reference,
                    reference.size(), reference.isEmpty() ? ""
                            : ", sequences " + reference.get(0) + ".." + reference.get(reference.size() - 1));
        }
        return ok;
    }

    Latencies product(int queries) throws Exception {
        return measure(queries, filter -> {
            List<Long> answer = sequences(bus.history(filter, LIMIT));
            if (!answer.equals(expected.get(filter))) {
                mismatches++;
            }
            return answer;
        });
    }

    /** Measured product answers that differed from the reference's since the start. */
    long mismatches() {
        return mismatches;
    }

    Latencies baseline(int queries) throws Exception {
        return measure(queries, this::reference);
    }

    private interface Query {
        List<Long> run(String filter) throws Exception;
    }

    private Latencies measure(int queries, Query query) throws Exception {
        long before = connection.getStatistics().getInMsgs();
        double[] match = time(queries, MATCH, query);
        long between = connection.getStatistics().getInMsgs();
        double[] none = time(queries, NO_MATCH, query);
        long after = connection.getStatistics().getInMsgs();
        return new Latencies(new Stats(match), new Stats(none), (between - before) / (double) queries,
                (after - between) / (double) queries);
    }

    private static double[] time(int queries, String filter, Query query) throws Exception {
        double[] ms = new double[queries];
        for (int q = 0; q < queries; q++) {
            long start = System.nanoTime();
            query.run(filter);
            ms[q] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    /** The reference algorithm, correct form: read all matches from the start, stop after 500 ms idle. */
    List<Long> reference(String filter) throws Exception {
        JetStreamSubscription sub = js.subscribe(filter, PushSubscribeOptions.builder().ordered(true).build());
        ArrayDeque<Long> last = new ArrayDeque<>(LIMIT);
        try {
            for (Message m = sub.nextMessage(IDLE); m != null; m = sub.nextMessage(IDLE)) {
                if (last.size() == LIMIT) {
                    last.removeFirst();
                }
                last.addLast(m.metaData().streamSequence());
            }
        } finally {
            sub.unsubscribe();
        }
        return new ArrayList<>(last);
    }

    private static List<Long> sequences(HistoryResult result) {
        if (!result.undecodable().isEmpty()) {
            throw new IllegalStateException("undecodable messages in history: " + result.undecodable());
        }
        List<Long> out = new ArrayList<>();
        for (ReceivedEvent e : result.events()) {
            out.add(e.position().sequence());
        }
        return out;
    }
}
