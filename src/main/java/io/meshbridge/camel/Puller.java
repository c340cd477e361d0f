package io.meshbridge.camel;

import io.meshbridge.events.Backoff;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving thread of a {@link Fetcher}: a pull subscription bound to the durable, kept for the whole run,
 * with pull requests kept ahead of the route. It only reads, registers and queues; it never runs the route, so
 * what the server delivered is registered (and kept alive) at once, however long the route takes.
 *
 * <p><b>Why one long-lived subscription.</b> Every pull request's messages arrive on the same subscription,
 * so a message the server sends late (after the client stopped waiting for its request) is still received on
 * the next read instead of landing on a subscription that was closed meanwhile, where it would wait for the
 * server's redelivery after {@code ackWait}.
 *
 * <p><b>Pipelining.</b> The thread asks for up to {@code batchSize} messages and asks again once half of that
 * arrived, before it queues the batch for the dispatching threads, so the server delivers the next batch while
 * the route works on this one. Each request expires after {@code pollTimeout}; a new one is sent once the newest is half that
 * old, so a request is always waiting on the server and an event published at a quiet time is delivered at
 * once. The server serves requests in order; requests it ended (expired) are forgotten one second after their
 * expiry at the latest, earlier when their end status is seen.
 *
 * <p><b>Failures</b> (connection lost, durable deleted) drop the subscription and are retried with a
 * growing pause until the run ends. <b>End of run:</b> the subscription is drained ({@link #stopReceiving},
 * before the run ends, so nothing handed back comes to it again) and closed; messages that arrive meanwhile are
 * queued behind the others and handed back with them (negative acknowledgement, no delay) so another consumer
 * takes them.
 *
 * <p>Confined to its thread, except {@link #stopReceiving}, which the stopping thread calls.
 */
final class Puller {

    private static final Logger LOG = LoggerFactory.getLogger(Puller.class);
    private static final Backoff RETRY = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));
    /** The longest a read waits, so that the end of a run and stale requests are noticed. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** A read of what is already there, without waiting. */
    private static final Duration NO_WAIT = Duration.ofNanos(1);
    private static final long EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final Fetcher fetcher;
    private final Fetcher.Run run;
    private final int batchSize;
    private final Duration expires;
    private final long expiresNanos;
    /** Live pull requests, oldest first: {messages not yet delivered, send time}. */
    private final ArrayDeque<long[]> pulls = new ArrayDeque<>();
    private int outstanding;
    private volatile JetStreamSubscription sub;
    /** The drain of {@link #sub} once the run ends; guarded by {@code this}. */
    private CompletableFuture<Boolean> draining;

    Puller(Fetcher fetcher, Fetcher.Run run) {
        this.fetcher = fetcher;
        this.run = run;
        this.batchSize = fetcher.config().getBatchSize();
        this.expires = fetcher.config().getPollTimeout();
        this.expiresNanos = expires.toNanos();
    }

    void loop() {
        Backoff.Attempts failures = RETRY.attempts();
        try {
            while (run.active()) {
                List<Message> batch;
                try {
                    if (sub == null) {
                        subscribe();
                    }
                    batch = receive();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (!run.active()) {
                        return;
                    }
                    dropSubscription();
                    Duration pause = failures.next();
                    logFailure(e, pause, failures.atMax());
                    if (awaitEnd(pause)) {
                        return;
                    }
                    continue;
                }
                if (!batch.isEmpty()) {
                    failures.reset();
                    queue(batch);
                }
            }
        } finally {
            finish();
            fetcher.receiverLeft(run);
        }
    }

    /**
     * Registers the messages (kept alive from now on) and queues them for the dispatching threads, in parts of
     * at most {@link Fetcher#chunk()} so that each dispatching thread gets its share.
     */
    private void queue(List<Message> batch) {
        long now = System.nanoTime();
        int chunk = fetcher.chunk();
        for (int from = 0; from < batch.size(); from += chunk) {
            int to = Math.min(batch.size(), from + chunk);
            List<Delivery> deliveries = new ArrayList<>(to - from);
            for (Message msg : batch.subList(from, to)) {
                deliveries.add(fetcher.sink().delivered(msg, now));
            }
            run.queue(deliveries);
        }
    }

    /** Reads what the pull requests delivered, up to a batch; empty after a quiet moment. */
    private List<Message> receive() throws InterruptedException {
        long now = System.nanoTime();
        forgetExpired(now);
        askAhead(now);
        if (pulls.isEmpty()) {
            fetcher.awaitRoom(run, POLL.toMillis());
            return List.of();
        }
        long before = System.nanoTime();
        Message first = sub.nextMessage(POLL);
        if (first == null) {
            if (System.nanoTime() - before < POLL.toNanos() - EARLY_NANOS) {
                // the read ended before its time: the end status of the oldest request was read
                forgetOldest();
            }
            return List.of();
        }
        List<Message> batch = new ArrayList<>(Math.max(1, Math.min(batchSize, outstanding)));
        int asked = 0;
        for (Message msg = first; msg != null; msg = batch.size() < batchSize ? sub.nextMessage(NO_WAIT) : null) {
            if (msg.isJetStream()) {
                batch.add(msg);
                asked += arrived();
            }
        }
        fetcher.delivered(asked, batch.size() - asked);
        askAhead(System.nanoTime());
        return batch;
    }

    /** Takes one delivered message off the oldest request; 1 when it was asked for by a known request. */
    private int arrived() {
        long[] oldest = pulls.peekFirst();
        if (oldest == null) {
            return 0;
        }
        outstanding--;
        if (--oldest[0] == 0) {
            pulls.removeFirst();
        }
        return 1;
    }

    /** Sends a pull request when half of what was asked arrived, or the newest request is half expired. */
    private void askAhead(long now) {
        long[] newest = pulls.peekLast();
        boolean stale = newest == null || now - newest[1] > expiresNanos / 2;
        int want = stale ? batchSize : outstanding <= batchSize / 2 ? batchSize - outstanding : 0;
        int n = Math.min(want, fetcher.room());
        if (n < fetcher.refill()) {
            return; // the window is (nearly) full: wait until a part of it is free, not for every place
        }
        sub.pull(PullRequestOptions.builder(n).expiresIn(expires).build());
        pulls.addLast(new long[] {n, now});
        outstanding += n;
        fetcher.requested(n);
    }

    private void forgetExpired(long now) {
        long[] oldest;
        while ((oldest = pulls.peekFirst()) != null && now - oldest[1] > expiresNanos + GRACE_NANOS) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        long[] oldest = pulls.pollFirst();
        if (oldest != null) {
            outstanding -= (int) oldest[0];
            fetcher.requested((int) -oldest[0]);
        }
    }

    private void forgetAll() {
        fetcher.requested(-outstanding);
        outstanding = 0;
        pulls.clear();
    }

    private synchronized void subscribe() throws Exception {
        draining = null;
        sub = fetcher.js().subscribe(null, PullSubscribeOptions.bind(fetcher.stream(), fetcher.durable()));
    }

    /**
     * Tells the server to send nothing more to this thread's subscription (it is drained: what already arrived
     * can still be read) and waits until the server has taken that in, so that a message handed back after this
     * returns is not delivered to this thread's pull requests again. Called by {@link Fetcher#stop()} on its
     * thread, before the run ends.
     */
    synchronized CompletableFuture<Boolean> stopReceiving() {
        JetStreamSubscription current = sub;
        if (draining == null && current != null) {
            try {
                draining = current.drain(DRAIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                draining = CompletableFuture.completedFuture(false);
            } catch (RuntimeException e) {
                LOG.debug("Draining the pull subscription of {} failed: {}", fetcher.durable(), e.toString());
                draining = CompletableFuture.completedFuture(false);
            }
        }
        return draining;
    }

    /** Closes the subscription after a failure; its requests are forgotten. */
    private synchronized void dropSubscription() {
        forgetAll();
        if (sub != null) {
            close(sub);
            sub = null;
            draining = null;
        }
    }

    /** End of the run: stop the requests, hand back what still arrives, close. */
    private void finish() {
        if (sub == null) {
            forgetAll();
            return;
        }
        List<Message> late = new ArrayList<>();
        try {
            CompletableFuture<Boolean> drained = stopReceiving();
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (drained != null && !drained.isDone() && System.nanoTime() < deadline) {
                Message msg = sub.nextMessage(Duration.ofMillis(20));
                if (msg != null && msg.isJetStream()) {
                    late.add(msg);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Draining the pull subscription of {} ended: {}", fetcher.durable(), e.toString());
        } finally {
            forgetAll();
            JetStreamSubscription sub = this.sub;
            if (sub.isActive()) {
                close(sub);
            }
            this.sub = null;
        }
        if (!late.isEmpty()) {
            // queued behind what came earlier, so the dispatchers hand everything back in order
            fetcher.delivered(0, late.size());
            queue(late);
            LOG.debug("Stopping: {} message(s) delivered after the end of fetching to durable {} are handed back",
                    late.size(), fetcher.durable());
        }
    }

    private void close(JetStreamSubscription subscription) {
        try {
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            LOG.debug("Closing the pull subscription of {} failed: {}", fetcher.durable(), e.toString());
        }
    }

    private boolean awaitEnd(Duration pause) {
        try {
            return run.awaitEnd(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void logFailure(Exception e, Duration pause, boolean atMax) {
        String durable = fetcher.durable();
        if (e instanceof JetStreamApiException api && api.getApiErrorCode() == DurableSetup.CONSUMER_NOT_FOUND) {
            LOG.error("Durable {} on stream {} no longer exists; retrying in {} ms (restart the route to create"
                    + " it again)", durable, fetcher.stream(), pause.toMillis());
        } else if (atMax) {
            LOG.warn("Fetching from durable {} failed: {}; retrying in {} ms", durable, e.toString(), pause.toMillis());
        } else {
            LOG.debug("Fetching from durable {} failed: {}; retrying in {} ms", durable, e.toString(), pause.toMillis());
        }
    }
}
