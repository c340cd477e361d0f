package io.meshbridge.webhook.camel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code max} tasks running at once, without blocking anyone: {@link #run} starts a task at once when
 * a place is free and queues it otherwise; {@link #release} hands the place of a finished task to the oldest
 * queued one and starts it on the releasing thread. The queue is bounded by whoever feeds it (here the
 * {@code mesh:} consumer's window of unsettled events). Thread-safe.
 */
final class InFlightLimit {

    /** Something to start, or to give up at stop before it started. */
    interface Task {
        void start();

        void abandon();
    }

    private final int max;
    private final ArrayDeque<Task> queued = new ArrayDeque<>();
    private int running;

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        this.max = max;
    }

    /** Runs {@code task} now on this thread when a place is free, else queues it. */
    void run(Task task) {
        synchronized (this) {
            if (running >= max) {
                queued.addLast(task);
                return;
            }
            running++;
        }
        task.start();
    }

    /** A task finished: starts the oldest queued one in its place, on this thread. */
    void release() {
        Task next;
        synchronized (this) {
            next = queued.pollFirst();
            if (next == null) {
                running--;
                return;
            }
        }
        next.start();
    }

    /** Removes and returns the queued tasks (at stop). */
    synchronized List<Task> drain() {
        List<Task> out = new ArrayList<>(queued);
        queued.clear();
        return out;
    }

    synchronized int running() {
        return running;
    }

    synchronized int queued() {
        return queued.size();
    }
}
