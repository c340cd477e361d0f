package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.camel.MeshConstants;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes archived events to a {@link ReplayTarget}, asynchronously, with at most {@link #WINDOW}
 * publishes awaiting their acknowledgement, and waits for every acknowledgement.
 *
 * <p>Each message carries the archived id as {@code Nats-Msg-Id} (so the stream stores an event once, however
 * often it is replayed within its duplicate window) and {@value MeshConstants#REPLAY_HEADER}{@code : true};
 * its payload is the archived bytes, verbatim. It must be stored by the target stream
 * ({@code Nats-Expected-Stream}). Events are sent in the order given; a publish that failed (no
 * acknowledgement, connection lost) is sent again with the same id after a pause, up to
 * {@link #MAX_ATTEMPTS} times, so after a failure it may be stored after later events. A refusal by the
 * stream (wrong stream, message too large) is not retried. After the first event that could not be stored,
 * nothing more is sent; the acknowledgements still awaited are collected, and {@link #run} returns the counts
 * with the failure.
 *
 * <p>Not thread-safe: one thread calls {@link #run}; the acknowledgements arrive on the client's threads and
 * are handed to that thread through a queue, so the counts are kept by it alone.
 */
final class ReplayPublisher {

    /** Most publishes awaiting their acknowledgement at once. */
    static final int WINDOW = 1000;

    /** Attempts per event before the replay fails. */
    static final int MAX_ATTEMPTS = 5;

    /** The pause before the second attempt; it doubles for each further one. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);

    /** Longest wait for one acknowledgement, should the client not time the request out itself. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** How often {@link #run} reports progress while it waits. */
    private static final long TICK_NANOS = ReplayProgress.TERMINAL_INTERVAL.toNanos();

    /**
     * What a replay did.
     *
     * @param stored     events the stream stored
     * @param duplicates events the stream already held (same id within its duplicate window), not stored again
     * @param failure    why the replay stopped early, or {@code null} when every event was acknowledged
     */
    record Result(long stored, long duplicates, String failure) {

        /** Events acknowledged, stored or not. */
        long published() {
            return stored + duplicates;
        }
    }

    /** Told the counts after each step, on the thread of {@link #run}; it decides when to show them. */
    interface Progress {
        /** {@code replayed} events acknowledged so far, {@code duplicates} of them not stored again. */
        void update(long replayed, long duplicates);
    }

    private record Outcome(ArchiveRecord record, int attempt, PublishAck ack, Throwable error) {
    }

    private record Retry(ArchiveRecord record, int attempt, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return other instanceof Retry r ? Long.compare(dueNanos, r.dueNanos)
                    : Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    private final JetStream js;
    private final ReplayTarget target;
    private final Progress progress;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final DelayQueue<Retry> retries = new DelayQueue<>();
    /** Events sent and not yet settled, waiting retries included. */
    private int outstanding;
    private long stored;
    private long duplicates;
    private String failure;

    ReplayPublisher(JetStream js, ReplayTarget target, Progress progress) {
        this.js = js;
        this.target = target;
        this.progress = progress;
    }

    /** Publishes {@code records} in their order and waits for every acknowledgement. */
    Result run(Iterator<ArchiveRecord> records) throws InterruptedException {
        while (true) {
            settleArrived();
            resendDue();
            if (failure == null && outstanding < WINDOW && hasNext(records)) {
                outstanding++;
                send(records.next(), 1);
            } else if (outstanding == 0) {
                break;
            } else {
                awaitOutcome();
            }
            progress.update(stored + duplicates, duplicates);
        }
        return new Result(stored, duplicates, failure);
    }

    private boolean hasNext(Iterator<ArchiveRecord> records) {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            fail("cannot read the archive: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            return false;
        }
    }

    private void send(ArchiveRecord record, int attempt) {
        Headers headers = new Headers().put(MeshConstants.REPLAY_HEADER, "true");
        PublishOptions options = PublishOptions.builder()
                .expectedStream(target.stream())
                .messageId(record.id())
                .build();
        CompletableFuture<PublishAck> ack;
        try {
            ack = js.publishAsync(target.subject(record.subject()), headers, record.payload(), options);
        } catch (RuntimeException e) {
            outcomes.add(new Outcome(record, attempt, null, e));
            return;
        }
        ack.orTimeout(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((pa, error) -> outcomes.add(new Outcome(record, attempt, pa, error)));
    }

    private void settleArrived() {
        for (Outcome o = outcomes.poll(); o != null; o = outcomes.poll()) {
            settle(o);
        }
    }

    private void resendDue() {
        for (Retry r = retries.poll(); r != null; r = retries.poll()) {
            send(r.record(), r.attempt());
        }
    }

    /** Waits for an acknowledgement, at most until the next retry is due or it is time to report progress. */
    private void awaitOutcome() throws InterruptedException {
        long wait = TICK_NANOS;
        Retry next = retries.peek();
        if (next != null) {
            wait = Math.max(0, Math.min(wait, next.getDelay(TimeUnit.NANOSECONDS)));
        }
        Outcome o = outcomes.poll(wait, TimeUnit.NANOSECONDS);
        if (o != null) {
            settle(o);
        }
    }

    private void settle(Outcome o) {
        if (o.error() == null) {
            outstanding--;
            if (o.ack().isDuplicate()) {
                duplicates++;
            } else {
                stored++;
            }
            return;
        }
        Throwable cause = unwrap(o.error());
        if (failure == null && o.attempt() < MAX_ATTEMPTS && retriable(cause)) {
            long pause = FIRST_PAUSE.toNanos() << (o.attempt() - 1);
            retries.add(new Retry(o.record(), o.attempt() + 1, System.nanoTime() + pause));
            return;
        }
        outstanding--;
        ArchiveRecord r = o.record();
        fail("event " + r.id() + " (" + r.stream() + " sequence " + r.sequence() + ") to "
                + target.subject(r.subject()) + " not stored after " + o.attempt()
                + (o.attempt() == 1 ? " attempt: " : " attempts: ") + reason(cause));
    }

    /** Records the first failure and drops the retries still waiting: nothing more is sent. */
    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
            outstanding -= retries.size();
            retries.clear();
        }
    }

    private static boolean retriable(Throwable cause) {
        return !(cause instanceof JetStreamApiException || cause instanceof IllegalArgumentException);
    }

    /** The refusal of the stream when there is one among the causes, else the root cause. */
    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (!(t instanceof JetStreamApiException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private String reason(Throwable cause) {
        if (cause instanceof JetStreamApiException api) {
            return "stream " + target.stream() + " refused it: " + api.getErrorDescription() + " (code "
                    + api.getApiErrorCode() + ")";
        }
        if (cause instanceof TimeoutException) {
            return "no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : Failures.oneLine(message);
    }
}
