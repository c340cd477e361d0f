package io.meshbridge.webhook.camel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-subject order for {@code ordered=true}: one event of a subject at a time, the others waiting in stream
 * order, and a later event never posted before an earlier one of its subject is settled (delivered or
 * dead-lettered).
 *
 * <p>An event whose attempt failed and will be retried <em>blocks</em> its subject: its redelivery (the same
 * stream sequence) is the next to go, the later ones wait. A block is lifted by the redelivery's outcome, or
 * by {@link #expire} once the redelivery is overdue (taken by another worker sharing the durable, or stopped),
 * after which order is not guaranteed for that subject. Within one worker; workers sharing a durable can
 * reorder each other. Thread-safe; tasks are started outside the lock, on the calling thread.
 */
final class SubjectOrder {

    private static final class Lane {
        long active = -1;
        long blocking = -1;
        long blockingSince;
        final TreeMap<Long, InFlightLimit.Task> waiting = new TreeMap<>();
    }

    private final Map<String, Lane> lanes = new HashMap<>();

    /** Starts {@code task} now when its subject is free (or it is the blocking event's redelivery), else queues it. */
    void admit(String subject, long sequence, InFlightLimit.Task task) {
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(subject, s -> new Lane());
            boolean free = lane.active < 0 && (lane.blocking < 0 || lane.blocking == sequence);
            if (!free) {
                // the same sequence twice: a redelivery of a waiting event (it outlived maxProcessingTime); both go
                lane.waiting.merge(sequence, task, SubjectOrder::both);
                return;
            }
            lane.active = sequence;
            lane.blocking = -1;
        }
        task.start();
    }

    private static InFlightLimit.Task both(InFlightLimit.Task a, InFlightLimit.Task b) {
        return new InFlightLimit.Task() {
            @Override
            public void start() {
                a.start();
                b.start();
            }

            @Override
            public void abandon() {
                a.abandon();
                b.abandon();
            }
        };
    }

    /**
     * The attempt of {@code sequence} ended: {@code retrying} when it will be tried again (the subject stays
     * blocked until then), else settled, which starts the next waiting event of the subject.
     */
    void ended(String subject, long sequence, boolean retrying, long nowNanos) {
        InFlightLimit.Task next;
        synchronized (this) {
            Lane lane = lanes.get(subject);
            if (lane == null || lane.active != sequence) {
                return;
            }
            lane.active = -1;
            if (retrying) {
                lane.blocking = sequence;
                lane.blockingSince = nowNanos;
                return;
            }
            next = startNext(subject, lane);
        }
        if (next != null) {
            next.start();
        }
    }

    /** Lifts blocks older than {@code overdueNanos}; starts what they held. Returns how many were lifted. */
    int expire(long nowNanos, long overdueNanos) {
        List<InFlightLimit.Task> start = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Lane> e : new ArrayList<>(lanes.entrySet())) {
                Lane lane = e.getValue();
                if (lane.active < 0 && lane.blocking >= 0 && nowNanos - lane.blockingSince >= overdueNanos) {
                    lane.blocking = -1;
                    InFlightLimit.Task next = startNext(e.getKey(), lane);
                    if (next != null) {
                        start.add(next);
                    }
                }
            }
        }
        start.forEach(InFlightLimit.Task::start);
        return start.size();
    }

    /** Removes and returns every waiting task (at stop); blocks are forgotten. */
    synchronized List<InFlightLimit.Task> drain() {
        List<InFlightLimit.Task> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            out.addAll(lane.waiting.values());
        }
        lanes.clear();
        return out;
    }

    /** Events waiting behind an earlier one of their subject. */
    synchronized int waiting() {
        return lanes.values().stream().mapToInt(l -> l.waiting.size()).sum();
    }

    private InFlightLimit.Task startNext(String subject, Lane lane) {
        Map.Entry<Long, InFlightLimit.Task> first = lane.waiting.pollFirstEntry();
        if (first == null) {
            lanes.remove(subject);
            return null;
        }
        lane.active = first.getKey();
        return first.getValue();
    }
}
