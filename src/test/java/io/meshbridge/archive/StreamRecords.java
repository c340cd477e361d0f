package io.meshbridge.archive;

import io.meshbridge.events.Bus;
import io.meshbridge.events.EmitResult;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistentBus;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Archive records of real stream messages: each message is read back from the stream right after it was
 * stored (before a small stream drops it), with its real sequence, stored time, id and bytes, as the archiving
 * route sees it. For tests that need an archive holding what a stream no longer does.
 */
public final class StreamRecords {

    private StreamRecords() {
    }

    /** Emits {@code event} through {@code bus} and returns the record of the stored message. */
    public static ArchiveRecord emit(PersistentBus bus, Event event) throws Exception {
        EmitResult result = bus.emit(event);
        return read(bus.bus().connection(), result.stream(), result.sequence());
    }

    /** Stores a payload as another producer would (no id header) and returns its record. */
    public static ArchiveRecord publishRaw(Connection connection, String subject, byte[] payload) throws Exception {
        PublishAck ack = connection.jetStream().publish(subject, payload);
        return read(connection, ack.getStream(), ack.getSeqno());
    }

    /** The record of the message {@code sequence} of {@code stream}, as stored now. */
    public static ArchiveRecord read(Connection connection, String stream, long sequence) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        Instant created = jsm.getStreamInfo(stream).getCreateTime().toInstant();
        MessageInfo m = jsm.getMessage(stream, sequence);
        String id = m.getHeaders() == null ? null : m.getHeaders().getFirst(Bus.MSG_ID_HEADER);
        return new ArchiveRecord(stream, created, m.getSeq(), m.getSubject(), m.getTime().toInstant(),
                id != null ? id : stream + ":" + m.getSeq(), m.getData());
    }

    /** Writes {@code records} to a finished archive below {@code directory} (one writer, closed). */
    public static void archive(Path directory, List<ArchiveRecord> records) throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(ArchiveConfig.builder(directory).workerId("test").build())) {
            writer.append(records);
        }
    }
}
