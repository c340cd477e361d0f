package io.meshbridge.ingest;

import io.meshbridge.events.EmitResult;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistentBus;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * Emits ingested events with {@link PersistentBus#emitAsync(Event, String)} and reports each outcome within a
 * bound, never blocking the caller.
 *
 * <p>An emit is refused at once (a failed future with a 503 {@link IngestFailure}) when the NATS connection is
 * not connected, or when {@code maxInFlight} events already await their acknowledgement; otherwise the future
 * completes with the acknowledgement, or with a 503 when none arrived within the acknowledgement timeout or
 * the server refused it. After a 503 the event may or may not be stored: the client retries with the same
 * idempotency key, and the stream's duplicate window stores it once. The in-flight count falls only when
 * the publish itself completes (acknowledged or failed in jnats), not when the caller gave up waiting.
 *
 * <p>The bus must allow more asynchronous emits in flight than {@code maxInFlight}
 * ({@link io.meshbridge.events.PersistConfig#maxInFlight()}), so that its own window never blocks.
 * Thread-safe.
 */
final class AckedEmits {

    private final PersistentBus bus;
    private final Connection connection;
    private final Duration ackTimeout;
    private final int maxInFlight;
    private final Semaphore permits;

    AckedEmits(PersistentBus bus, Duration ackTimeout, int maxInFlight) {
        if (bus.config().maxInFlight() <= maxInFlight) {
            throw new IllegalArgumentException("the bus's in-flight window (" + bus.config().maxInFlight()
                    + ") must be larger than the ingest's (" + maxInFlight + ")");
        }
        this.bus = bus;
        this.connection = bus.bus().connection();
        this.ackTimeout = ackTimeout;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
    }

    /** The node name of the worker, used when a request names none. */
    String nodeName() {
        return bus.bus().nodeName();
    }

    /** Events awaiting their acknowledgement now. */
    int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    /**
     * Emits every event under its id, all or nothing admitted: the future completes when each is
     * acknowledged, or fails with the first failure.
     */
    CompletableFuture<List<EmitResult>> emitAll(List<Event> events, List<String> ids) {
        int n = events.size();
        if (n > maxInFlight) {
            return CompletableFuture.failedFuture(new IngestFailure(413, n + " events in one request, more than"
                    + " the " + maxInFlight + " that may await acknowledgement at once"));
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return CompletableFuture.failedFuture(new IngestFailure(503, "NATS is unavailable (connection "
                    + connection.getStatus() + ")"));
        }
        if (!permits.tryAcquire(n)) {
            return CompletableFuture.failedFuture(new IngestFailure(503, "too many events awaiting"
                    + " acknowledgement (" + maxInFlight + ")"));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<EmitResult>[] acks = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            CompletableFuture<EmitResult> ack;
            try {
                ack = bus.emitAsync(events.get(i), ids.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ack = CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                ack = CompletableFuture.failedFuture(e);
            }
            ack.whenComplete((r, t) -> permits.release());
            acks[i] = ack.copy().orTimeout(ackTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return CompletableFuture.allOf(acks).handle((ignored, error) -> {
            if (error != null) {
                throw new CompletionException(failure(error));
            }
            return java.util.Arrays.stream(acks).map(CompletableFuture::join).toList();
        });
    }

    private IngestFailure failure(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TimeoutException) {
            return new IngestFailure(503, "the stream did not acknowledge within " + ackTimeout.toMillis() + " ms");
        }
        if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("payload")) {
            return new IngestFailure(413, "the event is larger than the server's maximum payload");
        }
        if (e instanceof JetStreamApiException api) {
            return new IngestFailure(503, "the stream refused the event: " + api.getErrorDescription());
        }
        return new IngestFailure(503, "the event was not acknowledged: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' ')));
    }
}
