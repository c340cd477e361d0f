package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * The event bus backed by a JetStream stream: acknowledged emits and history, compatible with the reference
 * {@code events.PersistentBus} and without its defects.
 *
 * <p><b>Stream.</b> {@link #open} creates the stream when it is missing and uses an existing one as the
 * operator configured it (see {@link StreamSetup}); {@link #attach} never creates or changes anything.
 *
 * <p><b>Emit.</b> {@link #emit(Event)} publishes and waits for the stream's acknowledgement. Every event
 * carries its id as {@code Nats-Msg-Id}; when the acknowledgement does not come (server restarting,
 * connection lost, leader election), the same message is sent again with the same id until
 * {@link PersistConfig#emitTimeout()} has passed, and the server's duplicate window stores it once. A
 * returned {@link EmitResult} means the event is stored. {@link #emitAsync(Event)} keeps at most
 * {@link PersistConfig#maxInFlight()} publishes awaiting acknowledgement (the caller blocks beyond that) and
 * completes each future with its acknowledgement or its failure; it does not retry by itself: retry a
 * failure with {@link #emit(Event, String)} and the same id.
 *
 * <p><b>History.</b> {@link #history} returns the most recent matching events, {@link #historySince} the
 * first ones at or after a time (the server's stored time, UTC); both oldest first, both returning as soon
 * as the answer is complete, both reporting stored messages that do not decode. {@link #historyPage} reads
 * forward one bounded page at a time, from a sequence or a time, up to an end time.
 *
 * <p>Thread-safe. It does not own the connection.
 */
public final class PersistentBus {

    private static final System.Logger LOG = System.getLogger(PersistentBus.class.getName());
    /** Pauses between the tries of an acknowledged emit while the server does not answer. */
    private static final Backoff EMIT_RETRY = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1));

    private final Bus bus;
    private final PersistConfig config;
    private final JetStream js;
    private final HistoryReader history;
    private final HistoryPages pages;
    private final Semaphore inFlight;
    private final StreamSetup.Outcome setup;

    private PersistentBus(Bus bus, PersistConfig config, StreamSetup.Outcome setup) throws IOException {
        this.bus = bus;
        this.config = config;
        this.setup = setup;
        this.js = bus.connection().jetStream();
        this.history = new HistoryReader(bus.connection(), config.streamName(), bus.codec());
        this.pages = new HistoryPages(bus.connection(), config.streamName(), bus.codec());
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /**
     * A persistent bus that ensures its stream: created when missing, otherwise used as it is (changed only
     * when {@link PersistConfig#updateExisting()} is set).
     *
     * @throws IllegalStateException when a stream of that name has other subjects, or another stream
     *                               captures {@code events.>}
     */
    public static PersistentBus open(Connection connection, String nodeName, PersistConfig config)
            throws IOException, JetStreamApiException {
        Bus bus = new Bus(connection, nodeName);
        StreamSetup.Outcome outcome = StreamSetup.ensure(connection, streamConfiguration(config),
                config.updateExisting());
        return new PersistentBus(bus, config, outcome);
    }

    /**
     * A persistent bus on an existing stream, for readers that must never create or change anything.
     *
     * @throws JetStreamApiException when the stream does not exist
     */
    public static PersistentBus attach(Connection connection, String nodeName, PersistConfig config)
            throws IOException, JetStreamApiException {
        connection.jetStreamManagement().getStreamInfo(config.streamName());
        return new PersistentBus(new Bus(connection, nodeName), config, null);
    }

    /** The stream configuration {@link #open} creates for {@code config}. */
    public static StreamConfiguration streamConfiguration(PersistConfig config) {
        return StreamConfiguration.builder()
                .name(config.streamName())
                .subjects(PersistConfig.SUBJECTS)
                .maxAge(config.maxAge())
                .maxMessages(config.maxMsgs() == 0 ? -1 : config.maxMsgs())
                .storageType(config.storage())
                .replicas(config.replicas())
                .duplicateWindow(config.duplicateWindow())
                .build();
    }

    /** The core bus on the same connection (plain emits and live subscriptions). */
    public Bus bus() {
        return bus;
    }

    /** The configuration in use. */
    public PersistConfig config() {
        return config;
    }

    /** What {@link #open} found or did with the stream; {@code null} when attached. */
    public StreamSetup.Outcome streamSetup() {
        return setup;
    }

    /**
     * Emits an event and waits until the stream has stored it, retrying with the same id.
     *
     * @throws IOException when no acknowledgement arrived within the emit timeout; the event may or may not
     *                     be stored: retry with {@link #emit(Event, String)} and the same id
     */
    public EmitResult emit(Event event) throws IOException, InterruptedException {
        return emit(event, bus.newId());
    }

    /** Emits an event under a given id: a retry of an id already stored is acknowledged, not stored again. */
    public EmitResult emit(Event event, String id) throws IOException, InterruptedException {
        return emit(event, id, Map.of());
    }

    /**
     * Emits an event under a given id with extra NATS headers (such as a bridge's origin marker) beside its
     * {@code Nats-Msg-Id}; otherwise as {@link #emit(Event, String)}.
     *
     * @param headers header names and values; a {@code Nats-Msg-Id} among them is ignored (the id is {@code id})
     */
    public EmitResult emit(Event event, String id, Map<String, String> headers)
            throws IOException, InterruptedException {
        Message msg = message(event, id, headers);
        PublishOptions options = PublishOptions.builder().expectedStream(config.streamName()).build();
        long deadline = System.nanoTime() + config.emitTimeout().toNanos();
        Backoff.Attempts pauses = EMIT_RETRY.attempts();
        while (true) {
            try {
                return result(id, js.publish(msg, options));
            } catch (JetStreamApiException e) {
                throw new IOException("stream " + config.streamName() + " refused event " + id + ": "
                        + e.getErrorDescription(), e);
            } catch (IOException | IllegalStateException e) {
                if (System.nanoTime() > deadline || bus.connection().getStatus() == Connection.Status.CLOSED) {
                    throw new IOException("event " + id + " not acknowledged within " + config.emitTimeout()
                            + ": " + e.getMessage(), e);
                }
                LOG.log(Level.DEBUG, "emit of {0} not acknowledged ({1}); retrying", id, e.toString());
                Thread.sleep(pauses.next().toMillis());
            }
        }
    }

    /**
     * Emits without waiting: blocks only while {@link PersistConfig#maxInFlight()} emits await their
     * acknowledgement. The future completes with the acknowledgement, or exceptionally with the failure.
     */
    public CompletableFuture<EmitResult> emitAsync(Event event) throws InterruptedException {
        return emitAsync(event, bus.newId());
    }

    /**
     * Emits without waiting, under a given id: retry a failed asynchronous emit with the same id and the
     * stream stores it once.
     */
    public CompletableFuture<EmitResult> emitAsync(Event event, String id) throws InterruptedException {
        return emitAsync(event, id, Map.of());
    }

    /**
     * {@link #emitAsync(Event, String)} with extra NATS headers (such as a bridge's origin marker) beside its
     * {@code Nats-Msg-Id}, as {@link #emit(Event, String, Map)} takes them.
     */
    public CompletableFuture<EmitResult> emitAsync(Event event, String id, Map<String, String> headers)
            throws InterruptedException {
        Message msg = message(event, id, headers);
        inFlight.acquire();
        CompletableFuture<PublishAck> ack;
        try {
            ack = js.publishAsync(msg, PublishOptions.builder().expectedStream(config.streamName()).build());
        } catch (RuntimeException e) {
            inFlight.release();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<EmitResult> result = ack.handle((pa, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "event {0} of type {1} not stored: {2}", id, event.type(),
                        error.toString());
                throw error instanceof java.util.concurrent.CompletionException ce ? ce
                        : new java.util.concurrent.CompletionException(error);
            }
            return result(id, pa);
        });
        // released only once the caller's future is complete, so awaitInFlight sees every outcome
        result.whenComplete((r, t) -> inFlight.release());
        return result;
    }

    /** Waits until every asynchronous emit has been acknowledged or has failed. */
    public void awaitInFlight(Duration timeout) throws InterruptedException, TimeoutException {
        if (!inFlight.tryAcquire(config.maxInFlight(), timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("emits still awaiting acknowledgement after " + timeout);
        }
        inFlight.release(config.maxInFlight());
    }

    /**
     * The most recent {@code limit} events matching {@code filter}, oldest first, with the undecodable
     * messages stored among them.
     *
     * @param filter a subject filter under {@code events.} ({@code events.>}, {@code events.tool.*}, ...)
     */
    public HistoryResult history(String filter, int limit) throws IOException, JetStreamApiException {
        return history.last(EventTypes.requireValidFilter(filter), limit);
    }

    /**
     * The first {@code limit} events matching {@code filter} stored at or after {@code since} (the server's
     * stored time), oldest first, with the undecodable messages stored among them.
     */
    public HistoryResult historySince(String filter, Instant since, int limit)
            throws IOException, JetStreamApiException {
        Objects.requireNonNull(since, "since");
        return history.since(EventTypes.requireValidFilter(filter), since, limit);
    }

    /**
     * One page of history read forward: at most {@code limit} stored messages matching {@code filter}, events
     * and undecodable messages together (a page stays bounded however many do not decode), oldest first. It
     * starts at sequence {@code fromSequence} when that is 1 or more, else at the first message stored at or
     * after {@code since} ({@code null}: the stream's first message); it leaves out messages stored before
     * {@code since} and ends before the first one stored at or after {@code until} ({@code null}: no end).
     * {@link HistoryResult#more()} says whether a matching message before {@code until} follows the page:
     * the next page starts at the sequence after the page's last message.
     *
     * @throws IllegalArgumentException when the filter is invalid, {@code limit} is below 1,
     *                                  {@code fromSequence} is negative, or {@code until} is not after
     *                                  {@code since}
     * @throws IOException              when the stream stops delivering while history is pending
     */
    public HistoryResult historyPage(String filter, long fromSequence, Instant since, Instant until, int limit)
            throws IOException, JetStreamApiException {
        EventTypes.requireValidFilter(filter);
        if (limit < 1) {
            throw new IllegalArgumentException("history limit must be at least 1, was " + limit);
        }
        if (fromSequence < 0) {
            throw new IllegalArgumentException("start sequence must not be negative, was " + fromSequence);
        }
        if (since != null && until != null && !until.isAfter(since)) {
            throw new IllegalArgumentException("until " + until + " is not after since " + since);
        }
        return pages.page(filter, fromSequence, since, until, limit);
    }

    private Message message(Event event, String id, Map<String, String> extra) {
        Headers headers = Bus.headers(id);
        extra.forEach((name, value) -> {
            if (!Bus.MSG_ID_HEADER.equalsIgnoreCase(name)) {
                headers.put(name, value);
            }
        });
        return NatsMessage.builder()
                .subject(event.subject())
                .headers(headers)
                .data(bus.encodeStamped(event))
                .build();
    }

    private static EmitResult result(String id, PublishAck ack) {
        return new EmitResult(id, ack.getStream(), ack.getSeqno(), ack.isDuplicate());
    }
}
