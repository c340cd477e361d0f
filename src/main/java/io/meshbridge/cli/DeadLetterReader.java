package io.meshbridge.cli;

import io.meshbridge.archive.DeadLetter;
import io.meshbridge.archive.DeadLetterIndex;
import io.meshbridge.camel.MeshConstants;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the dead-letter stream {@value MeshConstants#DLQ_STREAM} for {@code archive verify}: the original
 * stream and sequence of each dead letter of the given routes, from the headers only (payloads are not sent),
 * and the creation time of each event stream they name. Reads what the stream held when the read began,
 * through an ephemeral ordered consumer; changes nothing. A missing dead-letter stream holds no dead letter.
 */
final class DeadLetterReader {

    /** The longest wait for the next dead letter before the read is given up. */
    static final Duration STALL = Duration.ofSeconds(5);

    private DeadLetterReader() {
    }

    /** The dead letters of {@code routes}, with the creation times of the streams they name. */
    static DeadLetterIndex read(Connection nc, Collection<String> routes)
            throws IOException, JetStreamApiException, InterruptedException {
        JetStreamManagement jsm = nc.jetStreamManagement();
        StreamInfo info = streamInfo(jsm, MeshConstants.DLQ_STREAM);
        List<DeadLetter> letters = new ArrayList<>();
        if (info != null && info.getStreamState().getMsgCount() > 0) {
            IterableConsumer consumer = nc.getStreamContext(MeshConstants.DLQ_STREAM)
                    .createOrderedConsumer(new OrderedConsumerConfiguration().headersOnly(true)).iterate();
            try {
                readUpTo(consumer, info.getStreamState().getLastSequence(), routes, letters);
            } finally {
                close(consumer);
            }
        }
        Map<String, Instant> created = new HashMap<>();
        for (String stream : Set.copyOf(letters.stream().map(DeadLetter::stream).toList())) {
            StreamInfo s = streamInfo(jsm, stream);
            if (s != null) {
                created.put(stream, s.getCreateTime().toInstant());
            }
        }
        return new DeadLetterIndex(letters, created);
    }

    /** Reads dead letters until the one at sequence {@code last}, or the last one there is. */
    private static void readUpTo(IterableConsumer consumer, long last, Collection<String> routes,
                                 List<DeadLetter> letters) throws IOException, InterruptedException {
        for (NatsJetStreamMetaData meta = null; meta == null || meta.streamSequence() < last
                && meta.pendingCount() > 0; ) {
            Message m;
            try {
                m = consumer.nextMessage(STALL);
            } catch (JetStreamStatusCheckedException e) {
                throw new IOException("reading the dead-letter stream failed: " + e.getMessage(), e);
            }
            if (m == null) {
                throw new IOException("the dead-letter stream sent nothing for " + STALL.toSeconds() + " s");
            }
            meta = m.metaData();
            DeadLetter letter = letter(m, meta.timestamp().toInstant());
            if (letter != null && routes.contains(letter.route())) {
                letters.add(letter);
            }
        }
    }

    private static void close(IterableConsumer consumer) {
        try {
            consumer.close();
        } catch (Exception e) {
            // nothing is lost: the server removes the ephemeral consumer once it is inactive
        }
    }

    /** The dead letter a message says it is, or null when its headers do not say (not written by a route). */
    private static DeadLetter letter(Message m, Instant stored) {
        Headers h = m.getHeaders();
        if (h == null) {
            return null;
        }
        String stream = h.getFirst(MeshConstants.DLQ_ORIGINAL_STREAM);
        String sequence = h.getFirst(MeshConstants.DLQ_ORIGINAL_SEQUENCE);
        String route = h.getFirst(MeshConstants.DLQ_ROUTE);
        if (stream == null || stream.isEmpty() || sequence == null || route == null) {
            return null;
        }
        try {
            return new DeadLetter(stream, Long.parseLong(sequence.trim()), stored, route);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static StreamInfo streamInfo(JetStreamManagement jsm, String stream)
            throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
