package io.meshbridge.bench;

import io.nats.client.ConsumerContext;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The baseline of {@link ArchiveBench}: the archive written by hand with jnats and java.io only. Pulls a
 * batch, writes each message as the same JSON line to its partition's file ({@code yyyy/MM/dd/HH/<type>}),
 * one gzip member per file per batch, fsyncs every touched file, then acknowledges the batch's messages.
 * No crash recovery, no manifests, no duplicate skipping.
 */
final class RawArchiver implements Closeable {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    private final ConsumerContext consumer;
    private final String stream;
    private final String created;
    private final Path dir;
    private final int batch;
    private final Map<Path, FileChannel> files = new HashMap<>();

    RawArchiver(Connection connection, String stream, String durable, Path dir, int batch, int maxAckPending)
            throws Exception {
        connection.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                .durable(durable).ackPolicy(AckPolicy.Explicit).maxAckPending(maxAckPending).build());
        StreamInfo info = connection.jetStreamManagement().getStreamInfo(stream);
        this.created = DateTimeFormatter.ISO_INSTANT.format(info.getCreateTime().toInstant());
        this.consumer = connection.getStreamContext(stream).getConsumerContext(durable);
        this.stream = stream;
        this.dir = dir;
        this.batch = batch;
    }

    /** Archives until {@code n} messages are acknowledged. */
    void run(int n, Duration limit) throws Exception {
        FetchConsumeOptions fetch = FetchConsumeOptions.builder().maxMessages(batch).noWaitExpiresIn(5_000).build();
        long deadline = System.nanoTime() + limit.toNanos();
        int done = 0;
        while (done < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("raw archiver: " + done + " of " + n + " after " + limit);
            }
            List<Message> messages = new ArrayList<>(batch);
            try (FetchConsumer fc = consumer.fetch(fetch)) {
                for (Message m = fc.nextMessage(); m != null; m = fc.nextMessage()) {
                    messages.add(m);
                }
            }
            write(messages);
            for (Message m : messages) {
                m.ack();
            }
            done += messages.size();
        }
    }

    private void write(List<Message> messages) throws IOException {
        Map<Path, ByteArrayOutputStream> lines = new LinkedHashMap<>();
        for (Message m : messages) {
            Instant time = m.metaData().timestamp().toInstant();
            String subject = m.getSubject();
            Path partition = dir.resolve(HOUR.format(time)).resolve(subject.substring("events.".length()));
            ByteArrayOutputStream out = lines.computeIfAbsent(partition, p -> new ByteArrayOutputStream());
            String id = m.getHeaders() != null ? m.getHeaders().getFirst("Nats-Msg-Id") : null;
            out.write(("{\"stream\":\"" + stream + "\",\"stream_created\":\"" + created + "\",\"seq\":"
                    + m.metaData().streamSequence() + ",\"subject\":\"" + subject + "\",\"time\":\""
                    + DateTimeFormatter.ISO_INSTANT.format(time) + "\",\"id\":\"" + id + "\",\"event\":")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(m.getData());
            out.write('}');
            out.write('\n');
        }
        for (Map.Entry<Path, ByteArrayOutputStream> e : lines.entrySet()) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream member = new GZIPOutputStream(gz)) {
                e.getValue().writeTo(member);
            }
            FileChannel ch = file(e.getKey());
            ByteBuffer buf = ByteBuffer.wrap(gz.toByteArray());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
    }

    private FileChannel file(Path partition) throws IOException {
        FileChannel ch = files.get(partition);
        if (ch == null) {
            Files.createDirectories(partition);
            ch = FileChannel.open(partition.resolve("raw.jsonl.gz"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            files.put(partition, ch);
        }
        return ch;
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : files.values()) {
            ch.close();
        }
        files.clear();
    }
}
