package io.meshbridge.bridge;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes messages to a NATS server and reports, per message, when the server confirmed it.
 *
 * <ul>
 *   <li>{@link Mode#JETSTREAM} (the stronger): a JetStream publish; confirmed by the stream's PubAck, that is
 *   once a stream stored it. Publishes are pipelined: any number may await their PubAck at once (the caller
 *   bounds them). A message carrying {@code Nats-Msg-Id} is stored once within the stream's duplicate window,
 *   however often it is sent.</li>
 *   <li>{@link Mode#CORE} (weaker): a core publish, confirmed once a flush that followed it came back, that is
 *   once the server has read it. The server may still lose it (no subscriber, a slow consumer, a stream that
 *   had not stored it when the server stopped). Flushes are shared: one confirms every publish before it.</li>
 * </ul>
 * A confirmation that does not come within {@code timeout} fails the message retriably; the server may have
 * it all the same. While the connection is down, publishes wait in the client's reconnect buffer and are
 * confirmed after the reconnect, within the timeout.
 *
 * <p>Thread-safe; the futures complete on jnats' threads, a timer's or the flushing thread. Does not own the
 * connection.
 */
public final class NatsPublisher implements AutoCloseable {

    /** How a publish is confirmed. */
    public enum Mode {
        /** JetStream publish, confirmed by the PubAck. */
        JETSTREAM,
        /** Core publish, confirmed by a flush. */
        CORE;

        /** {@code jetstream} or {@code core}, naming the parameter when it is neither. */
        public static Mode parse(String parameter, String value) {
            String v = value == null ? "" : value.trim();
            if (v.equalsIgnoreCase("jetstream")) {
                return JETSTREAM;
            }
            if (v.equalsIgnoreCase("core")) {
                return CORE;
            }
            throw new IllegalArgumentException(parameter + " must be jetstream or core, was '" + value + "'");
        }
    }

    private final Connection connection;
    private final JetStream js;
    private final Mode mode;
    private final Duration timeout;
    private final Object flushLock = new Object();
    private List<CompletableFuture<Void>> unflushed = new ArrayList<>(); // guarded by flushLock
    private boolean closed; // guarded by flushLock
    private final Thread flusher;

    /** A publisher on {@code connection}; in core mode it starts one flushing thread. */
    public NatsPublisher(Connection connection, Mode mode, Duration timeout) throws IOException {
        this.connection = connection;
        this.mode = mode;
        this.timeout = timeout;
        this.js = mode == Mode.JETSTREAM ? connection.jetStream() : null;
        if (mode == Mode.CORE) {
            flusher = new Thread(this::flushLoop, "NatsBridgeFlush");
            flusher.setDaemon(true);
            flusher.start();
        } else {
            flusher = null;
        }
    }

    /**
     * Publishes {@code data} on {@code subject} with {@code headers}; the future completes once confirmed, or
     * fails with a {@link SendException}.
     */
    public CompletableFuture<Void> publish(String subject, Headers headers, byte[] data) {
        NatsMessage msg = NatsMessage.builder().subject(subject).headers(headers).data(data).build();
        try {
            if (mode == Mode.JETSTREAM) {
                return js.publishAsync(msg).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .handle((PublishAck ack, Throwable error) -> {
                            if (error != null) {
                                throw new CompletionException(failure(error));
                            }
                            return null;
                        });
            }
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            synchronized (flushLock) {
                if (closed) {
                    return CompletableFuture.failedFuture(new SendException("the publisher is closed", false));
                }
                connection.publish(msg);
                unflushed.add(confirmed);
                flushLock.notifyAll();
            }
            return confirmed;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
    }

    private void flushLoop() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (flushLock) {
                while (unflushed.isEmpty() && !closed) {
                    try {
                        flushLock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                batch = unflushed;
                unflushed = new ArrayList<>();
                if (closed && batch.isEmpty()) {
                    return;
                }
            }
            try {
                connection.flush(timeout);
                batch.forEach(f -> f.complete(null));
            } catch (TimeoutException | RuntimeException e) {
                SendException failure = new SendException("no flush confirmation within " + timeout.toMillis()
                        + " ms (connection " + connection.getStatus() + ")", false);
                batch.forEach(f -> f.completeExceptionally(failure));
            } catch (InterruptedException e) {
                SendException failure = new SendException("the publisher is closing", false);
                batch.forEach(f -> f.completeExceptionally(failure));
                synchronized (flushLock) {
                    closed = true;
                }
            }
        }
    }

    /** A send failure for {@code error}: permanent for a message the server can never take. */
    static SendException failure(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof SendException s) {
            return s;
        }
        if (e instanceof TimeoutException) {
            return new SendException("no PubAck within the timeout", false);
        }
        if (e instanceof IllegalArgumentException) {
            return new SendException("refused: " + e.getMessage(), true); // larger than the server's max payload
        }
        if (e instanceof JetStreamApiException api) {
            // 10054: larger than the stream's max message size; 10060: expected stream mismatch
            boolean permanent = api.getApiErrorCode() == 10054;
            return new SendException("the remote stream refused it: " + api.getErrorDescription() + " ("
                    + api.getApiErrorCode() + ")", permanent);
        }
        return new SendException(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage().replace('\n', ' ')), false);
    }

    /** Fails what awaits a flush and stops the flushing thread; pending PubAcks are left to the connection. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> left;
        synchronized (flushLock) {
            closed = true;
            left = unflushed;
            unflushed = new ArrayList<>();
            flushLock.notifyAll();
        }
        SendException failure = new SendException("the publisher is closed", false);
        left.forEach(f -> f.completeExceptionally(failure));
    }
}
