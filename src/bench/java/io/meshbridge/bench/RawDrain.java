package io.meshbridge.bench;

import com.github.luben.zstd.ZstdCompressCtx;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * The raw side of the worker benchmarks, run as its own JVM: plain jnats doing the work of a route, nothing
 * more. Creates a durable (explicit ack, {@code maxAckPending}) and binds a legacy pull subscription to it,
 * then loops: take a batch, optionally append every message's bytes plus {@code \n} to one file through a
 * compression (one gzip member / zstd frame per batch, or plain) and {@code FileChannel.force(false)} once per
 * batch, then {@code ack()} each message. Exits after {@code n} messages are acknowledged and flushed.
 *
 * <p>Two ways to take a batch: {@code fetch} ({@code sub.fetch(batch, expires)}, one pull at a time) and
 * {@code pipelined} ({@code depth} pull requests of {@code batch} kept outstanding on the same subscription,
 * the next one sent before a batch is processed, so messages arrive while the previous batch is written).
 *
 * <p>Arguments, {@code key=value}: {@code url stream durable n} (required), {@code way=fetch|pipelined},
 * {@code batch=500}, {@code depth=2}, {@code maxAckPending=2000}, {@code expires=2000} (ms),
 * {@code work=noop|none|gzip|zstd}, {@code file=PATH} (for the archive works), and {@code skipAck=K}: the
 * K-th message taken is not acknowledged (it comes back after the ack wait), to check that the benchmark
 * sees a stall and a message delivered twice; {@code holdMillis=0}: how long to stay after the last acknowledgement.
 */
public final class RawDrain {

    private static final int ZSTD_LEVEL = 3; // as the archive's zstd frames

    private RawDrain() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        int n = a.integer("n", -1);
        int batch = a.integer("batch", 500);
        Duration expires = Duration.ofMillis(a.integer("expires", 2_000));
        String stream = a.required("stream");
        String durable = a.required("durable");
        String work = a.text("work", "noop");
        Options options = Options.builder().server(a.required("url")).build();
        try (Connection nc = Nats.connect(options); Sink sink = Sink.of(work, a.text("file", null))) {
            JetStreamSubscription sub = bindDurable(nc, stream, durable, a.integer("maxAckPending", 2_000));
            Batches batches = a.text("way", "fetch").equals("pipelined")
                    ? new Pipelined(sub, batch, a.integer("depth", 2), expires, n)
                    : (done, max) -> sub.fetch(Math.min(max, batch), expires);
            int skipAck = a.integer("skipAck", 0);
            int done = 0;
            int seen = 0;
            while (done < n) {
                List<Message> messages = batches.next(done, n - done);
                sink.write(messages);
                for (Message m : messages) {
                    if (++seen != skipAck) {
                        m.ack();
                        done++;
                    }
                }
            }
            nc.flush(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "raw: %d acknowledged%n", done);
            Thread.sleep(a.integer("holdMillis", 0)); // -Dbench.threads: lets the benchmark read the threads' CPU
        }
    }

    /**
     * Creates the durable {@code durable} on {@code events.>} (explicit ack, {@code maxAckPending}) and binds a
     * legacy pull subscription to it: how every raw side of the worker benchmarks reads the stream.
     */
    static JetStreamSubscription bindDurable(Connection nc, String stream, String durable, int maxAckPending)
            throws IOException, JetStreamApiException {
        nc.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(durable)
                .ackPolicy(AckPolicy.Explicit).maxAckPending(maxAckPending).filterSubject("events.>").build());
        return nc.jetStream().subscribe("events.>", PullSubscribeOptions.bind(stream, durable));
    }

    /** Takes the next batch: at most {@code max} messages, {@code done} taken so far. */
    private interface Batches {
        List<Message> next(int done, int max) throws Exception;
    }

    /** Keeps {@code depth} pulls of {@code batch} in flight; a batch is {@code batch} messages (fewer at the end). */
    private static final class Pipelined implements Batches {
        private final JetStreamSubscription sub;
        private final PullRequestOptions pull;
        private final int batch;
        private final Duration expires;
        private final int n;
        private long requested;

        Pipelined(JetStreamSubscription sub, int batch, int depth, Duration expires, int n) {
            this.sub = sub;
            this.pull = PullRequestOptions.builder(batch).expiresIn(expires).build();
            this.batch = batch;
            this.expires = expires;
            this.n = n;
            for (int i = 0; i < depth && requested < n; i++) {
                sub.pull(pull);
                requested += batch;
            }
        }

        @Override
        public List<Message> next(int done, int max) throws InterruptedException {
            int want = Math.min(batch, max);
            List<Message> messages = new ArrayList<>(want);
            while (messages.size() < want) {
                Message m = sub.nextMessage(expires);
                if (m == null) { // the outstanding pulls expired: ask again
                    sub.pull(pull);
                    requested = done + messages.size() + batch;
                } else {
                    messages.add(m);
                }
            }
            if (requested < n) {
                sub.pull(pull);
                requested += batch;
            }
            return messages;
        }
    }

    /** Where a batch goes before its acknowledgements: nowhere, or one file with one fsync per batch. */
    private interface Sink extends AutoCloseable {
        void write(List<Message> batch) throws IOException;

        @Override
        void close() throws IOException;

        static Sink of(String work, String file) throws IOException {
            if (work.equals("noop")) {
                return new Sink() {
                    @Override
                    public void write(List<Message> batch) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            if (file == null) {
                throw new IllegalArgumentException("work=" + work + " needs file=PATH");
            }
            return new FileSink(work, Path.of(file));
        }
    }

    /** Appends each batch as one unit of its compression, then forces it to the disk. */
    private static final class FileSink implements Sink {
        private final String compression;
        private final FileChannel channel;
        private final ZstdCompressCtx zstd;
        private final ByteArrayOutputStream plain = new ByteArrayOutputStream(256 * 1024);
        private final ByteArrayOutputStream packed = new ByteArrayOutputStream(128 * 1024);

        FileSink(String compression, Path file) throws IOException {
            if (!List.of("none", "gzip", "zstd").contains(compression)) {
                throw new IllegalArgumentException("work must be noop, none, gzip or zstd, was " + compression);
            }
            this.compression = compression;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.zstd = compression.equals("zstd") ? new ZstdCompressCtx() : null;
            if (zstd != null) {
                zstd.setLevel(ZSTD_LEVEL);
                zstd.setChecksum(true);
            }
        }

        @Override
        public void write(List<Message> batch) throws IOException {
            plain.reset();
            for (Message m : batch) {
                plain.write(m.getData());
                plain.write('\n');
            }
            ByteBuffer unit = switch (compression) {
                case "gzip" -> {
                    packed.reset();
                    try (GZIPOutputStream member = new GZIPOutputStream(packed, 64 * 1024)) {
                        plain.writeTo(member);
                    }
                    yield ByteBuffer.wrap(packed.toByteArray());
                }
                case "zstd" -> ByteBuffer.wrap(zstd.compress(plain.toByteArray()));
                default -> ByteBuffer.wrap(plain.toByteArray());
            };
            while (unit.hasRemaining()) {
                channel.write(unit);
            }
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
            if (zstd != null) {
                zstd.close();
            }
        }
    }
}
