package io.meshbridge.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p><b>Failures.</b> An {@link IOException} from the writer (full disk, I/O error) is retried with the same
 * batch until it succeeds, waiting 100 ms, then twice as long each time up to 5 s; the exchanges stay
 * incomplete meanwhile (their consumer keeps them from being redelivered) and the consumer stops fetching once
 * its window is full. The failure is logged when it starts, every minute while it lasts, and when it ends.
 * Nothing is ever failed for an I/O error unless the commit thread is stopped while it lasts; those exchanges
 * then fail with the error, so the consumer hands their events out again later.
 *
 * <p><b>Threading.</b> {@link #submit} is called from any thread; one thread ({@code ArchiveCommit}) writes
 * and completes the callbacks.
 */
final class GroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    record Item(ArchiveRecord record, Exchange exchange, AsyncCallback callback) {
    }

    private final ArchiveWriter writer;
    private final int maxBatch;
    private final UnaryOperator<List<ArchiveRecord>> beforeAppend;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final Thread thread;
    private volatile Throwable died;

    /**
     * A group commit into {@code writer}; {@code beforeAppend} may replace a batch's records just before they
     * are written (it runs on the commit thread).
     */
    GroupCommit(ArchiveWriter writer, int maxBatch, UnaryOperator<List<ArchiveRecord>> beforeAppend, String name) {
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.beforeAppend = beforeAppend;
        this.thread = new Thread(this::run, "ArchiveCommit[" + name + "]");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a record; its callback is completed once the record is durable (or the commit gave up). */
    void submit(ArchiveRecord record, Exchange exchange, AsyncCallback callback) {
        if (stopping.getCount() == 0 || died != null) {
            exchange.setException(died != null ? new IOException("the archive's commit thread failed", died)
                    : new IOException("the archive is stopping"));
            callback.done(true);
            return;
        }
        queue.add(new Item(record, exchange, callback));
    }

    /**
     * Stops after committing what is queued (one more attempt each, failing the batch on an I/O error) within
     * {@code timeout}; then fails whatever is left.
     */
    void stop(Duration timeout) throws InterruptedException {
        stopping.countDown();
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(timeout.toMillis());
        }
        List<Item> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new IOException("the archive stopped before writing this event"));
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
        } catch (RuntimeException | Error e) {
            LOG.error("The archive's commit thread failed; events are no longer archived", e);
            died = e;
            fail(batch, e);
            List<Item> left = new ArrayList<>();
            queue.drainTo(left);
            fail(left, e);
            throw e;
        }
    }

    private void commit(List<Item> batch) throws InterruptedException {
        List<ArchiveRecord> records = new ArrayList<>(batch.size());
        batch.forEach(item -> records.add(item.record()));
        Duration wait = FIRST_RETRY;
        long failingSince = 0;
        long reported = 0;
        while (true) {
            try {
                AppendResult result = writer.append(beforeAppend.apply(records));
                written.addAndGet(result.written());
                skipped.addAndGet(result.skipped());
                batches.incrementAndGet();
                if (failingSince != 0) {
                    LOG.info("Archive writes work again after {} s; {} event(s) written",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSince), records.size());
                }
                complete(batch);
                return;
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
                if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail(batch, e);
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            } catch (RuntimeException e) {
                fail(batch, e);
                return;
            }
        }
    }

    private static void complete(List<Item> batch) {
        for (Item item : batch) {
            item.callback().done(false);
        }
    }

    private static void fail(List<Item> batch, Throwable error) {
        for (Item item : batch) {
            item.exchange().setException(error);
            item.callback().done(false);
        }
    }
}
