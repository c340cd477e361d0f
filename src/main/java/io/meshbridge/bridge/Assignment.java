package io.meshbridge.bridge;

import io.meshbridge.events.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link KafkaSubscriber} knows about the partitions assigned to it: each one's {@link PartitionOffsets},
 * the highest offset it ever handed out (to tell a redelivery), the pause after a failed record (500 ms doubling
 * to 30 s while failures go on), which partitions it paused, and the commits of the offsets that moved.
 * Confined to the subscriber's poll thread.
 */
final class Assignment {

    private static final System.Logger LOG = System.getLogger(Assignment.class.getName());
    private static final Backoff REWIND = Backoff.of(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final Map<TopicPartition, PartitionOffsets> assigned = new HashMap<>();
    private final Map<TopicPartition, Long> highest = new HashMap<>();
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Map<TopicPartition, Backoff.Attempts> failures = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final long commitIntervalNanos;
    private long lastCommit;

    Assignment(Duration commitInterval) {
        this.commitIntervalNanos = commitInterval.toNanos();
    }

    /** The partitions were assigned: each starts with nothing handed out (the consumer resumed them). */
    void add(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            assigned.put(tp, new PartitionOffsets());
        }
        paused.removeAll(partitions);
    }

    /** The partitions were revoked or lost: what was handed out is dropped. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionOffsets o = assigned.remove(tp);
            if (o != null) {
                o.clear();
            }
            resumeAt.remove(tp);
            failures.remove(tp);
            paused.remove(tp);
        }
    }

    /** The offsets of {@code tp}, or {@code null} when it is not assigned. */
    PartitionOffsets offsets(TopicPartition tp) {
        return assigned.get(tp);
    }

    /** The assigned partitions. */
    Set<TopicPartition> partitions() {
        return assigned.keySet();
    }

    /** Whether the record at {@code offset} of {@code tp} was handed out before; notes it otherwise. */
    boolean redelivery(TopicPartition tp, long offset) {
        Long top = highest.get(tp);
        if (top != null && offset <= top) {
            return true;
        }
        highest.put(tp, offset);
        return false;
    }

    /** Records handed out and not yet committable, over all partitions. */
    int outstanding() {
        int n = 0;
        for (PartitionOffsets o : assigned.values()) {
            n += o.outstanding();
        }
        return n;
    }

    /** Whether any of {@code partitions} has records outstanding. */
    boolean outstanding(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(tp -> assigned.containsKey(tp) && assigned.get(tp).outstanding() > 0);
    }

    /** A record of {@code tp} completed: its failure streak ends. */
    void succeeded(TopicPartition tp) {
        Backoff.Attempts a = failures.get(tp);
        if (a != null) {
            a.reset();
        }
    }

    /** A record of {@code tp} failed: {@code tp} pauses; returns for how long. */
    Duration delay(TopicPartition tp) {
        Duration pause = failures.computeIfAbsent(tp, k -> REWIND.attempts()).next();
        resumeAt.put(tp, System.nanoTime() + pause.toNanos());
        return pause;
    }

    /** Pauses every partition when {@code full}, else only those within their pause; resumes the others. */
    void pauseOrResume(Consumer<?, ?> consumer, boolean full) {
        long now = System.nanoTime();
        resumeAt.values().removeIf(at -> at - now <= 0);
        Set<TopicPartition> want = new HashSet<>();
        for (TopicPartition tp : assigned.keySet()) {
            if (full || resumeAt.containsKey(tp)) {
                want.add(tp);
            }
        }
        if (!want.equals(paused)) {
            List<TopicPartition> resume = new ArrayList<>(paused);
            resume.removeAll(want);
            consumer.resume(resume);
            consumer.pause(want);
            paused.clear();
            paused.addAll(want);
        }
    }

    /**
     * Commits the offsets that moved: asynchronously at most once per commit interval (a failed commit is made
     * again), or now and synchronously ({@code sync}: what is not confirmed yet).
     */
    void commit(Consumer<?, ?> consumer, boolean sync) {
        long now = System.nanoTime();
        if (!sync && now - lastCommit < commitIntervalNanos) {
            return;
        }
        lastCommit = now;
        Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
        Map<TopicPartition, PartitionOffsets> owners = new HashMap<>();
        assigned.forEach((tp, o) -> {
            long offset = o.toCommit(sync);
            if (offset >= 0) {
                moved.put(tp, new OffsetAndMetadata(offset));
                owners.put(tp, o);
                o.requested(offset);
            }
        });
        if (moved.isEmpty()) {
            return;
        }
        if (sync) {
            boolean ok = true;
            try {
                consumer.commitSync(moved);
            } catch (KafkaException e) {
                ok = false;
                LOG.log(System.Logger.Level.WARNING, "committing offsets of {0} failed ({1}); records after the last"
                        + " commit may be delivered again", moved.keySet(), KafkaPublisher.describe(e));
            }
            boolean result = ok;
            moved.forEach((tp, om) -> owners.get(tp).commitEnded(om.offset(), result));
            return;
        }
        // the callback runs on the poll thread, inside a later poll or commit
        consumer.commitAsync(moved, (offsets, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.DEBUG, "commit failed ({0}); it is made again", error.toString());
            }
            moved.forEach((tp, om) -> owners.get(tp).commitEnded(om.offset(), error == null));
        });
    }
}
