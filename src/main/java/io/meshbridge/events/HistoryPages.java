package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream's history forward one page at a time: at most {@code limit} stored messages matching a
 * filter, events and undecodable messages together (so a page stays bounded however many messages do not
 * decode), oldest first, from a start sequence or a start time, leaving out the messages stored before
 * {@code since} and ending before the first one stored at or after {@code until}.
 *
 * <p>Each page is one ephemeral consumer ({@link HistoryConsumer}) acknowledging "all up to" with a window of
 * {@code limit + 1}: the server sends at most the page and one message more, which tells whether more follow;
 * a message left out for being stored before {@code since} is acknowledged, so the window moves past it. The end
 * is known without waiting: the consumer's pending count, and then each message's, says when nothing follows.
 * A read that receives nothing for {@link HistoryConsumer#STALL} fails rather than answer a short page as
 * complete. Thread-safe: each call uses its own consumer.
 */
final class HistoryPages {

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final String stream;
    private final EventCodec codec;

    HistoryPages(Connection connection, String stream, EventCodec codec) throws IOException {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.stream = stream;
        this.codec = codec;
    }

    /**
     * One page from {@code fromSequence} when it is 1 or more, else from the first message stored at or after
     * {@code since} (from the stream's first message when that is {@code null} too). {@link HistoryResult#more()}
     * says whether a matching message stored before {@code until} follows the page.
     *
     * @throws IOException when the stream stops delivering while messages are pending
     */
    HistoryResult page(String filter, long fromSequence, Instant since, Instant until, int limit)
            throws IOException, JetStreamApiException {
        DeliverPolicy policy = fromSequence >= 1 ? DeliverPolicy.ByStartSequence
                : since != null ? DeliverPolicy.ByStartTime : DeliverPolicy.All;
        try (HistoryConsumer consumer = HistoryConsumer.open(connection, jsm, stream, filter, policy, fromSequence,
                since, limit + 1)) {
            if (consumer.pending() == 0) {
                return HistoryResult.EMPTY;
            }
            List<Object> entries = new ArrayList<>(Math.min(limit, (int) Math.min(consumer.pending(), 1024)));
            boolean more = false;
            while (true) {
                Message msg = consumer.next();
                if (msg == null) {
                    if (consumer.stalled()) {
                        throw new IOException("stream " + stream + " delivered nothing for "
                                + HistoryConsumer.STALL.toSeconds() + " s while history was pending");
                    }
                    break; // an idle heartbeat: the server has nothing more
                }
                Instant stored = msg.metaData().timestamp().toInstant();
                if (until != null && !stored.isBefore(until)) {
                    break;
                }
                boolean last = msg.metaData().pendingCount() == 0;
                if (since != null && stored.isBefore(since)) {
                    consumer.ackThrough(msg);
                } else if (entries.size() == limit) {
                    more = true;
                    break;
                } else {
                    entries.add(HistoryConsumer.decode(stream, codec, msg));
                }
                if (last) {
                    break;
                }
            }
            return HistoryResult.of(entries, more);
        }
    }
}
