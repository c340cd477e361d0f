package io.meshbridge.archive.camel;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveWriter;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The creation time of each stream the archive reads from (part of the key of an archived message), asked of
 * the server once and again when a batch holds messages the writer already has: those are either
 * redeliveries, or the stream was deleted and recreated and its sequences started again at 1. Also remembers
 * the stream time of the newest record of each incarnation that went through it.
 *
 * <p>Thread-safe.
 */
final class StreamIncarnations {

    private final JetStreamManagement jsm;
    private final Map<String, Instant> created = new ConcurrentHashMap<>();
    private final Map<Key, Instant> newest = new ConcurrentHashMap<>();

    /** One stream incarnation: name and creation time. */
    private record Key(String stream, Instant created) {
        static Key of(ArchiveRecord r) {
            return new Key(r.stream(), r.streamCreated());
        }
    }

    StreamIncarnations(JetStreamManagement jsm) {
        this.jsm = jsm;
    }

    /** The creation time of {@code stream}, asked of the server the first time. */
    Instant created(String stream) throws IOException, JetStreamApiException {
        Instant known = created.get(stream);
        return known != null ? known : refresh(stream).getCreateTime().toInstant();
    }

    /** Asks the server for {@code stream}'s info and remembers its creation time. */
    StreamInfo refresh(String stream) throws IOException, JetStreamApiException {
        StreamInfo info = jsm.getStreamInfo(stream);
        created.put(stream, info.getCreateTime().toInstant());
        return info;
    }

    /** The stream time of the newest record of the incarnation seen here, or null. */
    Instant newest(String stream, Instant streamCreated) {
        return newest.get(new Key(stream, streamCreated));
    }

    /**
     * The batch as it must be appended: when a record is one {@code writer} has (at or below its high-water
     * mark), the stream's creation time is asked again, and the records of a recreated stream get the new one.
     *
     * @throws UncheckedIOException when the server cannot be asked (the batch is retried)
     */
    List<ArchiveRecord> current(List<ArchiveRecord> batch, ArchiveWriter writer) {
        List<ArchiveRecord> out = batch;
        Map<Key, Long> highWater = new HashMap<>();
        Set<String> asked = new HashSet<>();
        for (ArchiveRecord r : batch) {
            long high = highWater.computeIfAbsent(Key.of(r), k -> writer.highWater(k.stream(), k.created()));
            if (r.sequence() <= high && asked.add(r.stream())) {
                Instant now = refreshQuietly(r.stream());
                if (!now.equals(r.streamCreated())) {
                    out = rekey(out, r.stream(), now);
                }
            }
        }
        Map<Key, Instant> newestInBatch = new HashMap<>();
        for (ArchiveRecord r : out) {
            newestInBatch.merge(Key.of(r), r.time(), StreamIncarnations::later);
        }
        newestInBatch.forEach((key, time) -> newest.merge(key, time, StreamIncarnations::later));
        return out;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Instant refreshQuietly(String stream) {
        try {
            return refresh(stream).getCreateTime().toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new UncheckedIOException(new IOException("cannot read stream " + stream + ": " + e.getMessage(), e));
        }
    }

    private static List<ArchiveRecord> rekey(List<ArchiveRecord> batch, String stream, Instant streamCreated) {
        List<ArchiveRecord> out = new ArrayList<>(batch.size());
        for (ArchiveRecord r : batch) {
            out.add(r.stream().equals(stream) && !r.streamCreated().equals(streamCreated)
                    ? new ArchiveRecord(r.stream(), streamCreated, r.sequence(), r.subject(), r.time(), r.id(),
                    r.payload())
                    : r);
        }
        return out;
    }
}
