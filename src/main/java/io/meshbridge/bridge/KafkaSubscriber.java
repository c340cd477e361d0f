package io.meshbridge.bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes Kafka topics in a consumer group and hands each record to a {@link Handler}, committing a
 * partition's offset only past records whose handling completed: at least once.
 *
 * <p><b>Offsets.</b> Auto-commit is off. Per partition, the committed offset moves to one past the last record
 * of the longest run, from the committed position, of records the handler completed ({@link PartitionOffsets});
 * commits are asynchronous, at most every {@value #COMMIT_INTERVAL_MS} ms, and synchronous when partitions are
 * revoked and at {@link #close}. A record whose handling failed makes the subscriber seek its partition back to
 * it and hand it out again, with everything after it, after a pause ({@code 500ms} doubling to {@code 30s} while
 * the failures go on); other partitions go on. Transactional records are read committed only.
 *
 * <p><b>Window.</b> At most {@code maxInFlight} records are handed out and not yet committable; beyond that the
 * subscriber pauses fetching (it keeps polling, so it stays in the group). That window bounds what a crash or a
 * lost partition can hand out twice: the records after the last commit. A revoked partition's records in
 * flight get up to {@value #REVOKE_GRACE_MS} ms to complete before its final commit.
 *
 * <p><b>Order.</b> Records of a partition are handed out in offset order, on one thread ({@code KafkaBridgePoll});
 * the handler may complete them on any thread and in any order. The Kafka client reconnects by itself (a broker
 * restart holds fetching, not the group membership, as long as it takes less than the session timeout).
 * Thread-safe: {@link #close} may be called from any thread.
 */
public final class KafkaSubscriber implements AutoCloseable {

    /** Receives the records. */
    public interface Handler {
        /** One record; {@code completion} must be called once, from any thread (also from within this call). */
        void record(ConsumerRecord<byte[], byte[]> record, Completion completion);
    }

    /** The end of one record's handling. */
    public interface Completion {
        /** {@code true}: done, its offset may be committed; {@code false}: failed, hand it out again. */
        void done(boolean ok);
    }

    static final long COMMIT_INTERVAL_MS = 100;
    static final long REVOKE_GRACE_MS = 5_000;

    private static final System.Logger LOG = System.getLogger(KafkaSubscriber.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);

    private record Done(TopicPartition partition, PartitionOffsets offsets, PartitionOffsets.Entry entry,
                        boolean ok) {
    }

    private final KafkaConnection connection;
    private final List<String> topics;
    private final int maxInFlight;
    private final Handler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LinkedBlockingQueue<Done> completions = new LinkedBlockingQueue<>();
    private final AtomicLong handedOut = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong rewinds = new AtomicLong();
    private final Assignment assignment = new Assignment(Duration.ofMillis(COMMIT_INTERVAL_MS)); // poll thread only
    private Thread thread;
    private volatile boolean stopping;
    private volatile Duration closeGrace = Duration.ZERO;

    /**
     * A subscriber of {@code topics} in the group {@code groupId}; {@code earliest}: a group without committed
     * offsets starts at the oldest records, else at new ones. Nothing connects before {@link #start}.
     *
     * @throws IOException when a certificate or key file cannot be read
     */
    public KafkaSubscriber(KafkaConnection connection, String groupId, List<String> topics, boolean earliest,
                           int maxInFlight, Handler handler) throws IOException {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.connection = connection;
        this.topics = List.copyOf(topics);
        this.maxInFlight = maxInFlight;
        this.handler = handler;
        Map<String, Object> p = new HashMap<>(connection.clientProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, earliest ? "earliest" : "latest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, maxInFlight));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.connectTimeout().toMillis());
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Checks that the cluster answers within the connect timeout (the login works) and subscribes on a new
     * thread. A topic that does not exist yet is logged and waited for.
     *
     * @throws IOException naming the servers and the reason (never a secret)
     */
    public synchronized void start() throws IOException {
        try {
            for (String topic : topics) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, connection.connectTimeout());
                if (partitions == null || partitions.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "Kafka topic {0} does not exist on {1} (yet); the bridge"
                            + " takes its records once it does", topic, connection);
                }
            }
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            throw new IOException("cannot reach " + connection + " within " + connection.connectTimeout().toMillis()
                    + " ms: " + KafkaPublisher.describe(e), e);
        }
        thread = new Thread(this::run, "KafkaBridgePoll[" + String.join(",", topics) + "]");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records handed to the handler so far, first deliveries and redeliveries. */
    public long handedOutCount() {
        return handedOut.get();
    }

    /** Records handed out again at an offset this subscriber had handed out before (after a failure or a rebalance). */
    public long redeliveredCount() {
        return redelivered.get();
    }

    /** Times a partition was sought back to a failed record. */
    public long rewindCount() {
        return rewinds.get();
    }

    private void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            while (!stopping) {
                boolean full = assignment.outstanding() >= maxInFlight;
                settle(full ? POLL.toMillis() : 0);
                assignment.commit(consumer, false);
                assignment.pauseOrResume(consumer, assignment.outstanding() >= maxInFlight);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(full ? Duration.ZERO : POLL)) {
                    hand(r);
                }
            }
            drainAndCommit(closeGrace.toMillis());
        } catch (org.apache.kafka.common.errors.WakeupException | InterruptedException e) {
            drainAndCommitQuietly();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Kafka subscriber of " + topics + " on " + connection + " failed; the"
                    + " records after the last commit are delivered again when the route restarts", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void hand(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionOffsets offsets = assignment.offsets(tp);
        if (offsets == null) {
            return; // revoked while this batch was fetched: its new owner reads it
        }
        if (assignment.redelivery(tp, r.offset())) {
            redelivered.incrementAndGet();
        }
        handedOut.incrementAndGet();
        PartitionOffsets.Entry entry = offsets.handOut(r.offset());
        try {
            handler.record(r, ok -> completions.add(new Done(tp, offsets, entry, ok)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "handling the record {0}-{1}@{2} failed: {3}", r.topic(),
                    r.partition(), r.offset(), e.toString());
            completions.add(new Done(tp, offsets, entry, false));
        }
    }

    /** Applies the completions that arrived, waiting up to {@code waitMillis} for the first. */
    private void settle(long waitMillis) throws InterruptedException {
        Done first = waitMillis > 0 ? completions.poll(waitMillis, TimeUnit.MILLISECONDS) : completions.poll();
        for (Done d = first; d != null; d = completions.poll()) {
            if (assignment.offsets(d.partition()) != d.offsets()) {
                continue; // revoked meanwhile
            }
            if (d.ok()) {
                d.offsets().completed(d.entry());
                assignment.succeeded(d.partition());
            } else {
                rewind(d.partition(), d.offsets().failed(d.entry()));
            }
        }
    }

    private void rewind(TopicPartition tp, long offset) {
        if (offset < 0) {
            return;
        }
        rewinds.incrementAndGet();
        consumer.seek(tp, offset);
        Duration pause = assignment.delay(tp);
        LOG.log(System.Logger.Level.DEBUG, "{0}: handling failed at offset {1}; again in {2} ms", tp, offset,
                pause.toMillis());
    }

    /** Waits up to {@code graceMillis} for the records in flight, then commits synchronously. */
    private void drainAndCommit(long graceMillis) throws InterruptedException {
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        consumer.pause(assignment.partitions());
        while (assignment.outstanding() > 0 && System.nanoTime() < deadline) {
            settle(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
        }
        settle(0);
        assignment.commit(consumer, true);
    }

    private void drainAndCommitQuietly() {
        try {
            drainAndCommit(0);
        } catch (InterruptedException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "final commit skipped: {0}", e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            long deadline = System.nanoTime() + REVOKE_GRACE_MS * 1_000_000;
            try {
                while (assignment.outstanding(partitions) && System.nanoTime() < deadline) {
                    settle(20);
                }
                settle(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assignment.commit(consumer, true);
            assignment.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            assignment.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignment.add(partitions);
        }
    }

    /**
     * Stops handing out records, waits up to {@code grace} for those in flight, commits what completed and
     * leaves the group. Records not completed by then are delivered again to the group.
     */
    public void close(Duration grace) {
        Thread t;
        synchronized (this) {
            t = thread;
            closeGrace = grace;
            stopping = true;
        }
        if (t == null) {
            consumer.close(Duration.ZERO);
            return;
        }
        try {
            t.join(grace.toMillis() + 10_000);
            if (t.isAlive()) {
                consumer.wakeup();
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
