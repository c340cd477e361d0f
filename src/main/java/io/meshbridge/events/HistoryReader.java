package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.StreamState;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Reads history from a stream without waiting for an idle timeout.
 *
 * <p>The stream's state, with the count of messages per matching subject, says how many messages match; no
 * match costs that one round trip. Each read then creates a short-lived ephemeral push consumer
 * ({@link HistoryConsumer}, without acknowledgements). The consumer's creation answer says how many messages
 * match from its start ({@code num_pending}); the read takes exactly that many and stops, or stops earlier
 * when the delivery metadata says nothing is pending any more. So the end of the answer is known without waiting.
 *
 * <p>For the most recent {@code limit} events the start sequence is estimated from the density of matches
 * in the stream and widened until at least {@code limit} events follow it; then only the last {@code limit}
 * events are kept, with the undecodable messages stored among them (those are reported, not counted).
 * Thread-safe: each call uses its own consumer.
 */
final class HistoryReader {

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final String stream;
    private final EventCodec codec;

    HistoryReader(Connection connection, String stream, EventCodec codec) throws IOException {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.stream = stream;
        this.codec = codec;
    }

    /**
     * The most recent {@code limit} events matching {@code filter}, oldest first, with the undecodable
     * messages stored among them.
     */
    HistoryResult last(String filter, int limit) throws IOException, JetStreamApiException {
        requireLimit(limit);
        StreamState state = streamState(filter);
        long matching = matching(state, filter);
        if (matching == 0) {
            return HistoryResult.EMPTY;
        }
        if (matching <= limit) {
            try (Read all = open(filter, DeliverPolicy.All, 0, null)) {
                Answer answer = all.newest(all.pending(), limit);
                return answer.result(matching > answer.size());
            }
        }
        long first = state.getFirstSequence();
        long last = state.getLastSequence();
        double density = (double) matching / Math.max(1, last - first + 1);
        long span = widen(0, limit, density);
        while (true) {
            long start = Math.max(first, last - span + 1);
            try (Read read = open(filter, DeliverPolicy.ByStartSequence, start, null)) {
                long found = read.pending();
                if (found >= limit || start == first) {
                    Answer answer = read.newest(found, limit);
                    if (answer.events() >= limit || start == first) {
                        return answer.result(matching > answer.size());
                    }
                    // undecodable messages took room: widen in proportion to the events found
                    found = answer.events();
                }
                span = widen(span, limit, (double) found / span);
            }
        }
    }

    /**
     * The first {@code limit} events matching {@code filter} stored at or after {@code since}, with the
     * undecodable messages stored among them.
     */
    HistoryResult since(String filter, Instant since, int limit) throws IOException, JetStreamApiException {
        requireLimit(limit);
        try (Read read = open(filter, DeliverPolicy.ByStartTime, 0, since)) {
            Answer answer = read.oldest(read.pending(), limit);
            // more exist when the answer stopped at its limit with messages still pending after it
            return answer.result(answer.events() >= limit && answer.lastPending() > 0);
        }
    }

    private static long widen(long span, int limit, double density) {
        long estimate = density <= 0 ? span * 4 : (long) Math.ceil(limit / density * 1.25) + 16;
        return Math.max(Math.max(estimate, span * 2), limit);
    }

    private static void requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("history limit must be at least 1, was " + limit);
        }
    }

    /**
     * The stream's state, asked of the stream leader, with the count of each subject matching the filter
     * (unless the filter takes every event, when the message count says it).
     */
    private StreamState streamState(String filter) throws IOException, JetStreamApiException {
        StreamInfo info = PersistConfig.SUBJECTS.equals(filter) ? jsm.getStreamInfo(stream)
                : jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(filter));
        return info.getStreamState();
    }

    private static long matching(StreamState state, String filter) {
        if (PersistConfig.SUBJECTS.equals(filter)) {
            return state.getMsgCount();
        }
        long sum = 0;
        for (Subject subject : state.getSubjects()) {
            sum += subject.getCount();
        }
        return sum;
    }

    private Read open(String filter, DeliverPolicy policy, long startSeq, Instant startTime)
            throws IOException, JetStreamApiException {
        return new Read(HistoryConsumer.open(connection, jsm, stream, filter, policy, startSeq, startTime, 0));
    }

    /** One ephemeral consumer without acknowledgements. */
    private final class Read implements AutoCloseable {
        private final HistoryConsumer consumer;

        Read(HistoryConsumer consumer) {
            this.consumer = consumer;
        }

        long pending() {
            return consumer.pending();
        }

        /** Receives up to {@code count} messages and keeps the newest {@code limit} events. */
        Answer newest(long count, int limit) throws IOException {
            Answer answer = new Answer();
            receive(count, msg -> {
                answer.addLast(decode(msg), msg.metaData().pendingCount());
                return answer.trimToNewest(limit);
            });
            return answer;
        }

        /** Receives messages until {@code limit} events or {@code count} messages have arrived. */
        Answer oldest(long count, int limit) throws IOException {
            Answer answer = new Answer();
            receive(count, msg -> {
                answer.addLast(decode(msg), msg.metaData().pendingCount());
                return answer.events() < limit;
            });
            return answer;
        }

        /** Receives up to {@code count} messages; stops early when the sink says so or nothing is pending. */
        private void receive(long count, Sink sink) throws IOException {
            long received = 0;
            while (received < count) {
                Message msg = consumer.next();
                if (msg == null) {
                    break;
                }
                received++;
                if (!sink.accept(msg) || msg.metaData().pendingCount() == 0) {
                    break;
                }
            }
        }

        private Object decode(Message msg) {
            return HistoryConsumer.decode(stream, codec, msg);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Takes one received message; returns whether to go on. */
    private interface Sink {
        boolean accept(Message msg);
    }

    /** Received entries (events and decode failures) in stream order, counting the events. */
    private static final class Answer {
        private final ArrayDeque<Object> entries = new ArrayDeque<>();
        private int events;
        private long lastPending;

        void addLast(Object entry, long pendingAfter) {
            lastPending = pendingAfter;
            entries.addLast(entry);
            if (entry instanceof ReceivedEvent) {
                events++;
            }
        }

        /** Drops the oldest entries beyond {@code limit} events, and failures older than the first event. */
        boolean trimToNewest(int limit) {
            while (events > limit || events == limit && !(entries.peekFirst() instanceof ReceivedEvent)) {
                if (entries.removeFirst() instanceof ReceivedEvent) {
                    events--;
                }
            }
            return true;
        }

        int events() {
            return events;
        }

        int size() {
            return entries.size();
        }

        /** How many matching messages the server said followed the last one received. */
        long lastPending() {
            return lastPending;
        }

        HistoryResult result(boolean more) {
            return HistoryResult.of(entries, more);
        }
    }
}
