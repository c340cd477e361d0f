package io.meshbridge.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.Timestamps;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pause state of one durable's connector, kept in the NATS key-value bucket {@value #BUCKET} under the
 * durable's name, so that every worker consuming the durable pauses and resumes together.
 *
 * <p>A {@link #pause pause} stores an entry (route, durable, reason, time, worker) and stops this consumer's
 * fetching at once; every consumer of the durable watches the key and stops fetching when an entry appears,
 * fetching again when it is deleted ({@link #resume}, from any worker). Starting a consumer deletes the entry: a restart of the route (a worker
 * start) resumes the connector on every worker. A paused consumer stays started: running exchanges finish and
 * are acknowledged, fetched ones not started are handed back, nothing is lost; events wait in the stream (and
 * the retention gap check reports what the stream drops meanwhile).
 *
 * <p>The bucket is created when missing (history 1, file storage, as many replicas as the event stream). When
 * the bucket cannot be written, a pause still stops this consumer and says so in the log. Thread-safe; the
 * consumer hears of every change on the pause's own thread ({@code MeshPause[<durable>]}).
 */
public final class ConnectorPause {

    /** The key-value bucket of pause entries, one per paused durable. */
    public static final String BUCKET = "mesh-pauses";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorPause.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyValue kv;
    private final String durable;
    private final String route;
    private final String worker;
    private final Runnable refresh;
    private final ExecutorServiceManager executors;
    private final ExecutorService executor;
    private NatsKeyValueWatchSubscription watch;
    private volatile boolean paused;

    private ConnectorPause(KeyValue kv, String durable, String route, String worker, Runnable refresh,
                           ExecutorServiceManager executors, Object owner) {
        this.kv = kv;
        this.durable = durable;
        this.route = route;
        this.worker = worker;
        this.refresh = refresh;
        this.executors = executors;
        this.executor = executors.newSingleThreadExecutor(owner, "MeshPause[" + durable + "]");
    }

    /**
     * A stored pause.
     *
     * @param route   the route that paused (on the worker that paused), or {@code null} when not recorded
     * @param durable the durable paused
     * @param reason  why, or {@code null}
     * @param since   when, or {@code null} when not recorded
     * @param worker  the node name of the worker that paused, or {@code null}
     */
    public record Entry(String route, String durable, String reason, Instant since, String worker) {
        /** Requires the durable. */
        public Entry {
            if (durable == null || durable.isBlank()) {
                throw new IllegalArgumentException("a pause entry needs its durable");
            }
        }
    }

    /**
     * Ensures the bucket, deletes the durable's entry (a start resumes) and watches it.
     *
     * @param replicas replicas of the bucket when it has to be created
     * @param refresh  called on this pause's own thread whenever {@link #paused()} changed: the consumer then
     *                 fetches, or stops fetching, as its state and the pause say
     */
    static ConnectorPause start(Connection connection, int replicas, String durable, String route, String worker,
                                Runnable refresh, ExecutorServiceManager executors, Object owner)
            throws IOException, JetStreamApiException, InterruptedException {
        ConnectorPause pause = new ConnectorPause(bucket(connection, replicas), durable, route, worker, refresh,
                executors, owner);
        if (pause.kv.get(durable) != null) {
            LOG.info("Connector {} (durable {}) was paused; its start resumes it", route, durable);
            pause.kv.delete(durable);
        }
        pause.watch = pause.kv.watch(durable, pause.new Watcher());
        return pause;
    }

    /** The bucket, created when missing with {@code replicas} replicas. */
    private static KeyValue bucket(Connection connection, int replicas) throws IOException, JetStreamApiException {
        KeyValueManagement kvm = connection.keyValueManagement();
        try {
            kvm.getStatus(BUCKET);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != DurableSetup.STREAM_NOT_FOUND) {
                throw e;
            }
            try {
                kvm.create(KeyValueConfiguration.builder().name(BUCKET).maxHistoryPerKey(1)
                        .storageType(StorageType.File).replicas(Math.max(1, replicas)).build());
            } catch (JetStreamApiException raced) {
                kvm.getStatus(BUCKET); // another worker created it meanwhile; anything else fails here
            }
        }
        return connection.keyValue(BUCKET);
    }

    /**
     * The stored pause of {@code durable}, as every worker sees it; {@code null} when there is none (or no bucket
     * yet). A value that is not the JSON this class stores reads as an entry with only the durable.
     */
    public static Entry entry(Connection connection, String durable) throws IOException, JetStreamApiException {
        KeyValueEntry e;
        try {
            e = connection.keyValue(BUCKET).get(durable);
        } catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == DurableSetup.STREAM_NOT_FOUND) {
                return null;
            }
            throw ex;
        }
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(e.getValue());
            Instant since = null;
            if (node.path("since").isTextual()) {
                try {
                    since = Timestamps.parse(node.get("since").asText());
                } catch (RuntimeException unreadable) {
                    // left unknown
                }
            }
            return new Entry(text(node, "route"), durable, text(node, "reason"), since, text(node, "worker"));
        } catch (IOException | RuntimeException unreadable) {
            return new Entry(null, durable, null, null, null);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    /**
     * Stores a pause of {@code durable} without a consumer of this worker (whose route is stopped): every
     * started consumer of the durable stops fetching; this worker's route resumes it when it starts.
     *
     * @param replicas replicas of the bucket when it has to be created
     */
    public static void store(Connection connection, int replicas, String durable, String route, String worker,
                             String reason) throws IOException, JetStreamApiException {
        bucket(connection, replicas).put(durable, entryJson(route, durable, reason, worker));
    }

    /**
     * Deletes the pause of {@code durable}: every consumer of the durable, on every worker, fetches again (each
     * hears of it through its watch, within moments). A delete marker is stored even when there was no entry,
     * so that a consumer paused on its own (when its pause could not be stored) resumes too.
     *
     * @return whether an entry was there
     */
    public static boolean resume(Connection connection, String durable) throws IOException, JetStreamApiException {
        KeyValue kv;
        KeyValueEntry existing;
        try {
            kv = connection.keyValue(BUCKET);
            existing = kv.get(durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == DurableSetup.STREAM_NOT_FOUND) {
                return false; // no bucket: nothing was ever paused
            }
            throw e;
        }
        kv.delete(durable);
        return existing != null && existing.getOperation() == KeyValueOperation.PUT;
    }

    /**
     * Pauses the connector on every worker: stops this consumer's fetching at once and stores the entry.
     *
     * @return whether the entry was stored (else only this worker paused, which the log says)
     */
    public boolean pause(String reason) {
        synchronized (this) {
            if (!paused) {
                paused = true;
                try {
                    executor.execute(refresh);
                } catch (RejectedExecutionException stopping) {
                    return false; // the consumer is stopping: it fetches no more anyway
                }
            }
        }
        try {
            kv.put(durable, entryJson(route, durable, reason, worker));
            return true;
        } catch (IOException | JetStreamApiException e) {
            LOG.error("Connector {} paused on this worker only: cannot store its pause in bucket {}: {}", route,
                    BUCKET, e.toString());
            return false;
        }
    }

    private static byte[] entryJson(String route, String durable, String reason, String worker) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("route", route);
        entry.put("durable", durable);
        entry.put("reason", reason);
        entry.put("since", Timestamps.format(Instant.now()));
        entry.put("worker", worker);
        return JSON.writeValueAsBytes(entry);
    }

    /** Whether this consumer is paused. */
    public boolean paused() {
        return paused;
    }

    /** Stops watching, and its thread. */
    void stop() {
        if (watch != null) {
            try {
                watch.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("Unwatching pause of {}: {}", durable, e.toString());
            }
        }
        executors.shutdown(executor);
    }

    private final class Watcher implements KeyValueWatcher {
        @Override
        public void watch(KeyValueEntry entry) {
            boolean pause = entry.getOperation() == KeyValueOperation.PUT;
            try {
                executor.execute(() -> apply(pause, entry));
            } catch (RejectedExecutionException stopping) {
                LOG.debug("Consumer of {} stopping: pause entry ignored", durable);
            }
        }

        @Override
        public void endOfData() {
        }
    }

    private void apply(boolean pause, KeyValueEntry entry) {
        synchronized (this) {
            if (pause == paused) {
                return;
            }
            paused = pause;
        }
        if (pause) {
            LOG.warn("Connector {} (durable {}) paused: {}", route, durable, entry.getValueAsString());
        } else {
            LOG.info("Connector {} (durable {}) resumed", route, durable);
        }
        refresh.run();
    }
}
