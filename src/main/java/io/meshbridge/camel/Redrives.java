package io.meshbridge.camel;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.EventHead;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link MeshConsumer} runs a dead letter of its route through the route again, in this process: never
 * through the event stream, so no other consumer of the event sees it again.
 *
 * <p>The exchange is built exactly as for a delivery of the original message ({@link ExchangeDispatcher#populate}):
 * the payload as stored, the event's subject, stream, sequence, stream time (the dead letter's own time when it
 * does not carry {@code Mesh-Original-Time}) and id ({@code Nats-Msg-Id}, else {@code <stream>:<sequence>}), so a
 * step keyed on the id (a webhook's {@code webhook-id}) sees the same one. Its delivery count is one more than
 * the dead letter's, and at least {@code maxDeliver}: a redrive is a last attempt, never retried through the
 * stream, and steps that treat the last attempt apart do so. Nothing is acknowledged.
 *
 * <p>When the exchange completes successfully the dead letter is deleted from
 * {@value MeshConstants#DLQ_STREAM} and the future completes; when it fails (any exception, including
 * {@link MeshRetryException} and {@link MeshHandBackException}, or a rollback) the dead letter stays and the
 * future fails with the route's exception. The deletion happens whenever the exchange completes, also after
 * a caller stopped waiting.
 *
 * <p><b>Threads.</b> Redrives run one at a time, in the order asked, on the consumer's thread
 * {@code MeshRedrive[<durable>]}, never on the caller's (a synchronous route would otherwise hold the caller for
 * as long as it takes): a redrive the route holds for long holds back the next ones. At the consumer's stop the
 * redrives not started yet fail with a {@link MeshHandBackException}. Thread-safe; a dead letter is redriven once
 * at a time in this process (and one deleted meanwhile is not redriven); workers do not coordinate redrives.
 */
final class Redrives {

    private static final Logger LOG = LoggerFactory.getLogger(Redrives.class);
    private static final int NO_MESSAGE = 10037;
    private static final int DELETE_FAILED = 10057;

    private final MeshConsumer consumer;
    private final MeshConfiguration config;
    private final EventCodec codec;
    private final String routeLabel;
    private final JetStreamManagement jsm;
    private final ExecutorService executor;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    Redrives(MeshConsumer consumer, MeshConfiguration config, EventCodec codec, String routeLabel,
             JetStreamManagement jsm, ExecutorService executor) {
        this.consumer = consumer;
        this.config = config;
        this.codec = codec;
        this.routeLabel = routeLabel;
        this.jsm = jsm;
        this.executor = executor;
    }

    /** One redrive waiting for, or running on, the redrive thread. */
    private final class Task implements Runnable {
        final StoredDeadLetter letter;
        final CompletableFuture<Void> done;

        Task(StoredDeadLetter letter, CompletableFuture<Void> done) {
            this.letter = letter;
            this.done = done;
        }

        @Override
        public void run() {
            start(letter, done);
        }
    }

    /**
     * Starts the redrive of {@code letter}; see {@link MeshConsumer#redrive}.
     *
     * @throws IllegalArgumentException when it is not a dead letter of this route
     * @throws IllegalStateException    when the route cannot take it now (not running, paused, or the letter is
     *                                  being redriven already)
     */
    CompletableFuture<Void> redrive(StoredDeadLetter letter) {
        if (!letter.redrivable()) {
            throw new IllegalArgumentException("dead letter " + letter.id() + " was not written by a route (it"
                    + " names no original subject, stream and sequence)");
        }
        if (!letter.route().equals(routeLabel)) {
            throw new IllegalArgumentException("dead letter " + letter.id() + " is of route " + letter.route()
                    + ", not of " + routeLabel);
        }
        if (!consumer.isStarted() || consumer.isSuspending() || consumer.isSuspended()) {
            throw new IllegalStateException("route " + routeLabel + " is not running on this worker ("
                    + consumer.getStatus() + ")");
        }
        if (consumer.getPause() != null && consumer.getPause().paused()) {
            throw new IllegalStateException("connector " + routeLabel + " is paused: resume it first");
        }
        if (!running.add(letter.id())) {
            throw new IllegalStateException("dead letter " + letter.id() + " is being redriven already");
        }
        if (!stored(letter)) { // a redrive that ended since the caller read it deleted it before it let go
            running.remove(letter.id());
            throw new IllegalStateException("dead letter " + letter.id() + " is no longer stored (redriven or"
                    + " deleted meanwhile)");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, failure) -> running.remove(letter.id()));
        try {
            executor.execute(new Task(letter, done));
        } catch (RejectedExecutionException e) {
            running.remove(letter.id());
            throw new IllegalStateException("route " + routeLabel + " is stopping", e);
        }
        return done;
    }

    private boolean stored(StoredDeadLetter letter) {
        try {
            jsm.getMessage(MeshConstants.DLQ_STREAM, letter.id());
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                return false;
            }
            throw new IllegalStateException("cannot read dead letter " + letter.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dead letter " + letter.id() + ": " + e.getMessage(), e);
        }
    }

    /** Fails the redrives not started yet (at the consumer's stop) and ends the redrive thread. */
    void stop(ExecutorServiceManager executors) {
        for (Runnable r : executors.shutdownNow(executor)) {
            if (r instanceof Task t) {
                t.done.completeExceptionally(new MeshHandBackException("route " + routeLabel
                        + " stopped before " + t.letter + " was redriven"));
            }
        }
    }

    private void start(StoredDeadLetter letter, CompletableFuture<Void> done) {
        Delivery d = delivery(letter);
        EventHead head;
        try {
            head = codec.scan(letter.subject(), letter.data());
        } catch (EventDecodeException e) {
            if (!config.isRaw()) {
                done.completeExceptionally(new MeshPermanentException("the payload is not an event: "
                        + e.getMessage(), e));
                return;
            }
            head = null;
        }
        Exchange exchange = null;
        try {
            exchange = consumer.createExchange(false);
            ExchangeDispatcher.populate(exchange, d, head, codec);
            Exchange ex = exchange;
            consumer.getAsyncProcessor().process(exchange, doneSync -> completed(letter, d, ex, done));
        } catch (Throwable t) {
            if (exchange != null) {
                exchange.setException(t);
                completed(letter, d, exchange, done);
            } else {
                done.completeExceptionally(t);
            }
        }
    }

    private Delivery delivery(StoredDeadLetter letter) {
        Headers headers = new Headers();
        if (letter.eventId() != null) {
            headers.put(MeshConstants.NATS_MSG_ID, letter.eventId());
        }
        NatsMessage message = NatsMessage.builder().subject(letter.subject()).headers(headers).data(letter.data())
                .build();
        Instant time = letter.streamTime() != null ? letter.streamTime() : letter.stored();
        long deliveries = Math.max(letter.deliveries() + 1, config.getMaxDeliver());
        return new Delivery(message, letter.stream(), letter.sequence(), deliveries, time, System.nanoTime());
    }

    /** Called once the exchange has completed, on whatever thread completed it. */
    private void completed(StoredDeadLetter letter, Delivery d, Exchange exchange, CompletableFuture<Void> done) {
        if (!d.complete()) {
            return;
        }
        Throwable error = exchange.getException();
        boolean failed = error != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast();
        consumer.releaseExchange(exchange, false);
        if (failed) {
            LOG.info("Redrive of {} failed again; it stays: {}", letter, DeadLetters.describe(error));
            done.completeExceptionally(error != null ? error
                    : new IllegalStateException(DeadLetters.describe(null)));
            return;
        }
        try {
            delete(letter);
            LOG.info("Redrove {} (event {}) through route {}; deleted it", letter, d.eventId(), routeLabel);
            done.complete(null);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warn("Redrove {} through route {} but could not delete it: {}", letter, routeLabel, e.toString());
            done.completeExceptionally(new IllegalStateException("processed by route " + routeLabel
                    + ", but the dead letter could not be deleted (a later redrive processes it again): " + e, e));
        }
    }

    /** Deletes the dead letter; one deleted meanwhile (by an operator) is gone all the same. */
    private void delete(StoredDeadLetter letter) throws IOException, JetStreamApiException {
        try {
            jsm.deleteMessage(MeshConstants.DLQ_STREAM, letter.id());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NO_MESSAGE && (e.getApiErrorCode() != DELETE_FAILED || stored(letter))) {
                throw e;
            }
        }
    }
}
