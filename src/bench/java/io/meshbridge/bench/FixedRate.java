package io.meshbridge.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule for the latency benchmarks: task {@code i} is due {@code i / rate} seconds after the start
 * and runs at its due time (parked, not spinning, so the waiting does not take a core from the product); a late
 * task does not move the later ones, so a stall shows up in the latencies instead of hiding in a slower rate.
 */
final class FixedRate {

    /** One scheduled task. */
    interface Task {
        void run(int i, long dueNanos) throws Exception;
    }

    private FixedRate() {
    }

    /** Runs {@code n} tasks, {@code rate} per second, the first after {@code startDelay}, on this thread. */
    static void run(int rate, int n, Duration startDelay, Task task) throws Exception {
        long start = System.nanoTime() + startDelay.toNanos();
        for (int i = 0; i < n; i++) {
            long due = start + i * 1_000_000_000L / rate;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
            task.run(i, due);
        }
    }
}
