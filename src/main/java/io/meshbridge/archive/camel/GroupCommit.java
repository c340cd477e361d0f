package io.meshbridge.archive.camel;

import io.meshbridge.archive.AppendResult;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveWriter;
import io.meshbridge.events.Backoff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of archive records: exchanges queue up while one thread appends whatever is queued (up to a
 * batch) to the {@link ArchiveWriter} and fsyncs it once, then completes the batch's exchanges, so that their
 * consumer acknowledges them only after their lines are durable. The more events arrive at once, the larger
 * the batches, and the fewer fsyncs per event.
 *
 * <p><b>Back-pressure.</b> The queue holds at most {@link #queueCapacity} records: a batch being filled while
 * the previous one is written. A submit to a full queue blocks the submitting thread (the consumer's) until
 * the commit thread takes more, so a slow disk slows the consumer down instead of filling memory; once
 * {@code stopRequested} says so (the Camel context stops), a waiting submit fails its exchange (retriably)
 * instead, so that a stuck disk does not keep a shutdown waiting for the consumer's threads.
 *
 * <p><b>Failures.</b> An {@link IOException} from the writer (full disk, I/O error) is retried with the same
 * batch until it succeeds, with a backoff from 100 ms to 5 s; the exchanges stay incomplete meanwhile (their
 * consumer keeps them from being redelivered) and the consumer stops fetching once its window is full. The
 * failure is logged when it starts, every minute while it lasts, and when it ends. Anything else the writer
 * throws (a {@link RuntimeException} or an {@link Error}: a broken writer) ends the commit thread: its batch,
 * the queue and every exchange submitted afterwards are <em>held</em>, neither completed nor failed, so that
 * nothing is acknowledged and nothing is dead-lettered; {@code onHeld} is told of each one, the error is
 * logged once and {@link #failure()} reports it. Held exchanges are failed (retriably) only by {@link #stop},
 * so their consumer hands their events out again.
 *
 * <p><b>Threading.</b> {@link #submit} is called from any thread; one thread ({@code ArchiveCommit}) writes;
 * another ({@code ArchiveAck}) completes the callbacks of each written batch, in order (the route continues on
 * it), so that writing the next batch overlaps acknowledging this one; {@code onHeld} runs on the commit thread
 * or on the submitting thread.
 */
final class GroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final Backoff RETRY = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    private static final long OFFER_TICK_MILLIS = 100;

    record Item(ArchiveRecord record, Exchange exchange, AsyncCallback callback) {
    }

    private final ArchiveWriter writer;
    private final int maxBatch;
    private final UnaryOperator<List<ArchiveRecord>> beforeAppend;
    private final Consumer<Exchange> onHeld;
    private final BooleanSupplier stopRequested;
    private final LinkedBlockingQueue<Item> queue;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Item> held = new ArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();
    private volatile LongConsumer commitSink;
    private final Thread thread;
    /** Completes written batches, in order, so that the commit thread goes on writing meanwhile. */
    private final ExecutorService completer;
    private volatile Throwable died;

    /**
     * A group commit into {@code writer}; {@code beforeAppend} may replace a batch's records just before they
     * are written (it runs on the commit thread); {@code onHeld} is told of every exchange held after the
     * commit thread failed; {@code stopRequested} tells submits waiting for room to give up.
     */
    GroupCommit(ArchiveWriter writer, int maxBatch, UnaryOperator<List<ArchiveRecord>> beforeAppend, String name,
                Consumer<Exchange> onHeld, BooleanSupplier stopRequested) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.beforeAppend = beforeAppend;
        this.onHeld = onHeld;
        this.stopRequested = stopRequested;
        this.queue = new LinkedBlockingQueue<>(queueCapacity(maxBatch));
        this.thread = new Thread(this::run, "ArchiveCommit[" + name + "]");
        this.thread.setDaemon(true);
        this.completer = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "ArchiveAck[" + name + "]");
            t.setDaemon(true);
            return t;
        });
    }

    /** The most records queued at once: two batches, one being written and one being filled. */
    static int queueCapacity(int maxBatch) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxBatch);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a record, waiting while the queue is full; its callback is completed once the record is durable,
     * or failed when the commit stops first. After the commit thread failed, the exchange is held.
     *
     * @return true when the callback was already completed here (the archive is stopping)
     */
    boolean submit(ArchiveRecord record, Exchange exchange, AsyncCallback callback) {
        Item item = new Item(record, exchange, callback);
        try {
            for (boolean waited = false; true; waited = true) {
                boolean refused;
                synchronized (held) {
                    refused = stopping.getCount() == 0 || waited && died == null && stopRequested.getAsBoolean();
                    if (!refused && died != null) {
                        held.add(item);
                        break;
                    }
                }
                if (refused) {
                    exchange.setException(new IOException("the archive is stopping"));
                    callback.done(true);
                    return true;
                }
                if (queue.offer(item, OFFER_TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (died == null || !queue.remove(item)) {
                        return false;
                    }
                    synchronized (held) {
                        held.add(item); // queued just as the commit thread failed
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(new IOException("interrupted while waiting for room in the archive's queue", e));
            callback.done(true);
            return true;
        }
        onHeld.accept(exchange);
        return false;
    }

    /**
     * Stops after committing what is queued (one more attempt each, failing the batch on an I/O error) within
     * {@code timeout}; then fails whatever is left or held, so that the consumer hands those events out again.
     */
    void stop(Duration timeout) throws InterruptedException {
        synchronized (held) {
            stopping.countDown();
        }
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(timeout.toMillis());
        }
        completer.shutdown();
        if (!completer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Completing the archived exchanges did not end within {}", timeout);
        }
        List<Item> left = new ArrayList<>();
        synchronized (held) {
            left.addAll(held);
            held.clear();
        }
        queue.drainTo(left);
        fail(left, new IOException("the archive stopped before writing this event"));
    }

    /** What ended the commit thread, if it failed; nothing is acknowledged from then on. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(died);
    }

    long written() {
        return written.get();
    }

    long skipped() {
        return skipped.get();
    }

    long batches() {
        return batches.get();
    }

    /** Payload bytes of the batches written (the events as received, before compression). */
    long payloadBytes() {
        return payloadBytes.get();
    }

    /** Receives the nanoseconds of each successful batch write (append and fsync), on the commit thread. */
    void commitSink(LongConsumer sink) {
        this.commitSink = sink;
    }

    private void run() {
        List<Item> batch = new ArrayList<>(maxBatch);
        try {
            while (stopping.getCount() > 0 || !queue.isEmpty()) {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            fail(batch, new IOException("the archive stopped before writing this event"));
        } catch (Throwable e) {
            hold(batch, e);
        }
    }

    /** Writes a batch, retrying I/O errors; anything else is thrown and ends the thread. */
    private void commit(List<Item> batch) throws InterruptedException {
        List<ArchiveRecord> records = new ArrayList<>(batch.size());
        batch.forEach(item -> records.add(item.record()));
        Backoff.Attempts attempts = RETRY.attempts();
        long failingSince = 0;
        long reported = 0;
        while (true) {
            AppendResult result;
            long started = System.nanoTime();
            try {
                result = writer.append(beforeAppend.apply(records));
            } catch (IOException | UncheckedIOException failure) {
                IOException e = failure instanceof UncheckedIOException u ? u.getCause() : (IOException) failure;
                long now = System.nanoTime();
                if (failingSince == 0 || now - reported >= REPORT_EVERY.toNanos()) {
                    LOG.warn("Cannot write {} event(s) to the archive ({}); not acknowledging them, retrying{}",
                            records.size(), e.toString(), failingSince == 0 ? "" : " (failing for "
                            + TimeUnit.NANOSECONDS.toSeconds(now - failingSince) + " s)");
                    reported = now;
                }
                failingSince = failingSince == 0 ? now : failingSince;
                if (stopping.await(attempts.next().toNanos(), TimeUnit.NANOSECONDS)) {
                    fail(batch, e);
                    return;
                }
                continue;
            }
            written.addAndGet(result.written());
            skipped.addAndGet(result.skipped());
            batches.incrementAndGet();
            long bytes = 0;
            for (ArchiveRecord r : records) {
                bytes += r.payload().length;
            }
            payloadBytes.addAndGet(bytes);
            LongConsumer sink = commitSink;
            if (sink != null) {
                sink.accept(System.nanoTime() - started);
            }
            if (failingSince != 0) {
                LOG.info("Archive writes work again after {} s; {} event(s) written",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSince), records.size());
            }
            List<Item> done = List.copyOf(batch);
            completer.execute(() -> complete(done));
            return;
        }
    }

    private void hold(List<Item> batch, Throwable error) {
        List<Item> now = new ArrayList<>(batch);
        synchronized (held) {
            died = error;
            queue.drainTo(now);
            held.addAll(now);
        }
        LOG.error("The archive's commit thread failed; {} event(s) held, none is acknowledged or dead-lettered"
                + " from now on, until the worker is restarted", now.size(), error);
        for (Item item : now) {
            onHeld.accept(item.exchange());
        }
    }

    private static void complete(List<Item> batch) {
        for (Item item : batch) {
            try {
                item.callback().done(false);
            } catch (RuntimeException e) {
                LOG.warn("Completing an archived exchange failed: {}", e.toString(), e);
            }
        }
    }

    private static void fail(List<Item> batch, Throwable error) {
        for (Item item : batch) {
            item.exchange().setException(error);
            try {
                item.callback().done(false);
            } catch (RuntimeException e) {
                LOG.warn("Failing an exchange the archive did not write failed: {}", e.toString(), e);
            }
        }
    }
}
