package io.meshbridge.app;

import io.meshbridge.api.ConnectorStates;
import io.meshbridge.archive.camel.ArchiveEndpoint;
import io.meshbridge.archive.camel.ArchiveProducer;
import io.meshbridge.camel.ConsumerStats;
import io.meshbridge.camel.EmitStats;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.webhook.Outcome;
import io.meshbridge.webhook.camel.WebhookProducer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;

/**
 * Binds the worker's own meters into Camel's Micrometer registry (the one {@code /observe/metrics} exports),
 * named {@code mesh.*} (Prometheus: {@code mesh_connector_delivered_total{route="..."}} and so on; the list
 * is in the README, "Metrics and health"). Counters read the components' own counts
 * ({@link ConsumerStats}, {@link EmitStats}, the archive producers, {@code WebhookProducer#counts()}) when
 * scraped; the lag and ack-pending gauges read the last {@link ConnectorStates} reading; the latency
 * histograms are fed by sinks set on the consumers and archive producers.
 *
 * <p>{@link #refresh()} registers the meters of what appeared since (routes started, routes that emitted,
 * webhook statuses seen); it runs after every reading of {@link ConnectorStates}, on its thread.
 */
final class MeshMetrics {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    private final MeterRegistry registry;
    private final CamelContext context;
    private final ConnectorStates states;
    private final EmitStats emits;
    private final ProducerTracker producers;
    private final Duration stallAfter;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    MeshMetrics(MeterRegistry registry, CamelContext context, ConnectorStates states, EmitStats emits,
                ProducerTracker producers, Duration stallAfter) {
        this.registry = registry;
        this.context = context;
        this.states = states;
        this.emits = emits;
        this.producers = producers;
        this.stallAfter = stallAfter;
    }

    /** The connection's meters: state and reconnects. */
    void bindConnection(Connection connection) {
        Gauge.builder("mesh.nats.connected", connection, c -> c.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
                .description("1 while the NATS connection is up, else 0").register(registry);
        FunctionCounter.builder("mesh.nats.reconnects", connection, c -> c.getStatistics().getReconnects())
                .description("Reconnects of the NATS connection").register(registry);
        Gauge.builder("mesh.stream.missing", states, s -> s.streamState().read() && !s.streamState().exists() ? 1 : 0)
                .description("1 when the last reading found the event stream missing").register(registry);
        Gauge.builder("mesh.dlq.messages", states, s -> s.deadLetters() == null ? Double.NaN : s.deadLetters().messages())
                .description("Dead letters held in MESH_DLQ (last reading)").register(registry);
        Gauge.builder("mesh.dlq.bytes", states, s -> s.deadLetters() == null ? Double.NaN : s.deadLetters().bytes())
                .description("Size of MESH_DLQ on the server (last reading)").baseUnit("bytes").register(registry);
    }

    /** Registers the meters of what is new since the last call. */
    synchronized void refresh() {
        for (ConnectorStates.Connector c : states.connectors()) {
            if (bound.add("connector:" + c.routeId())) {
                bindConnector(c.routeId(), c.consumer());
            }
        }
        emits.byRoute().forEach((route, counts) -> {
            if (bound.add("emit:" + route)) {
                counter("mesh.emit", "Emits by the mesh: producers of the route", counts, EmitStats.Counts::stored,
                        "route", route, "outcome", "stored");
                counter("mesh.emit", "Emits by the mesh: producers of the route", counts,
                        EmitStats.Counts::duplicates, "route", route, "outcome", "duplicate");
                counter("mesh.emit", "Emits by the mesh: producers of the route", counts, EmitStats.Counts::failed,
                        "route", route, "outcome", "failed");
            }
        });
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof ArchiveEndpoint archive) {
                for (ArchiveProducer p : archive.producers()) {
                    if (bound.add("archive:" + System.identityHashCode(p))) {
                        bindArchive(archive.getDirectory(), p);
                    }
                }
            }
        }
        producers.webhooks().forEach((route, producer) -> {
            for (Outcome.Kind kind : Outcome.Kind.values()) {
                if (bound.add("webhook:" + route + ":" + kind)) {
                    counter("mesh.webhook.attempts", "Webhook attempts by outcome", producer,
                            p -> p.counts().of(kind), "route", route, "outcome", kind.name().toLowerCase(java.util.Locale.ROOT));
                }
            }
            for (Integer status : producer.counts().byStatus().keySet()) {
                if (bound.add("webhook:" + route + ":status:" + status)) {
                    counter("mesh.webhook.responses", "Webhook attempts by HTTP status (0: no answer)", producer,
                            p -> p.counts().byStatus().getOrDefault(status, 0L), "route", route,
                            "status", Integer.toString(status));
                }
            }
        });
    }

    private void bindConnector(String route, MeshConsumer consumer) {
        ConsumerStats stats = consumer.getStats();
        counter("mesh.connector.delivered", "Deliveries received by this worker", stats, ConsumerStats::delivered,
                "route", route);
        counter("mesh.connector.acknowledged", "Deliveries acknowledged", stats, ConsumerStats::acknowledged,
                "route", route);
        counter("mesh.connector.failed", "Attempts whose exchange failed", stats, ConsumerStats::failed,
                "route", route);
        counter("mesh.connector.retried", "Deliveries returned to be retried after a delay", stats,
                ConsumerStats::retried, "route", route);
        counter("mesh.connector.dead.lettered", "Deliveries written to MESH_DLQ and terminated", stats,
                ConsumerStats::deadLettered, "route", route);
        counter("mesh.connector.returned", "Deliveries handed back unprocessed at a stop", stats,
                ConsumerStats::returned, "route", route);
        counter("mesh.connector.gaps", "Retention gaps: the stream dropped events before the route settled them",
                consumer, c -> c.getRetentionGaps() == null ? 0 : c.getRetentionGaps().gaps(), "route", route);
        counter("mesh.connector.gap.messages", "Stream messages in the retention gaps found", consumer,
                c -> c.getRetentionGaps() == null ? 0 : c.getRetentionGaps().droppedMessages(), "route", route);
        counter("mesh.connector.terminated.again", "Deliveries of messages dead-lettered earlier, terminated again",
                stats, ConsumerStats::terminatedAgain, "route", route);
        Gauge.builder("mesh.connector.lag", states, s -> s.reading(route).map(r -> (double) r.pending())
                        .orElse(Double.NaN))
                .description("Events not yet delivered on the durable (the server's num_pending, last reading)")
                .tag("route", route).register(registry);
        Gauge.builder("mesh.connector.ack.pending", states, s -> s.reading(route).map(r -> (double) r.ackPending())
                        .orElse(Double.NaN))
                .description("Events delivered and not acknowledged on the durable (all workers, last reading)")
                .tag("route", route).register(registry);
        // the route's consumer of now: a restart of the route (API) creates a new one, with the same counts
        Gauge.builder("mesh.connector.in.flight", this, m -> m.current(route) == null ? 0
                        : m.current(route).getInFlight())
                .description("Deliveries this worker holds unsettled").tag("route", route).register(registry);
        Gauge.builder("mesh.connector.paused", this, m -> m.current(route) != null
                        && new ConnectorStates.Connector(route, m.current(route)).paused() ? 1 : 0)
                .description("1 while the connector is paused on purpose").tag("route", route).register(registry);
        Gauge.builder("mesh.connector.stalled", this, m -> m.current(route) != null && states.stalled(
                        new ConnectorStates.Connector(route, m.current(route)), stallAfter, System.nanoTime()) ? 1 : 0)
                .description("1 while the connector is stalled (events pending, nothing settled)")
                .tag("route", route).register(registry);
        Timer latency = Timer.builder("mesh.connector.processing")
                .description("From a delivery's arrival to its settlement (ack, retry or dead letter)")
                .tag("route", route).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        stats.latencySink(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** The {@code mesh:} consumer of {@code route} now, or {@code null} when the route is gone. */
    private MeshConsumer current(String route) {
        Route r = context.getRoute(route);
        return r != null && r.getConsumer() instanceof MeshConsumer c ? c : null;
    }

    private void bindArchive(String directory, ArchiveProducer producer) {
        counter("mesh.archive.events", "Events written to archive files", producer, ArchiveProducer::getWritten,
                "directory", directory);
        counter("mesh.archive.skipped", "Redelivered events not written again", producer,
                ArchiveProducer::getSkippedDuplicates, "directory", directory);
        counter("mesh.archive.batches", "Batches written, each with one fsync", producer,
                ArchiveProducer::getBatches, "directory", directory);
        FunctionCounter.builder("mesh.archive.payload", producer, ArchiveProducer::getPayloadBytes).baseUnit("bytes")
                .description("Payload bytes of the batches written (before compression)")
                .tag("directory", directory).register(registry);
        FunctionCounter.builder("mesh.archive.written", producer, ArchiveProducer::getWrittenBytes).baseUnit("bytes")
                .description("Bytes written to the archive's data files (after compression), counted once fsynced")
                .tag("directory", directory).register(registry);
        counter("mesh.archive.files", "Archive files finished (renamed from .part, with their manifest)", producer,
                ArchiveProducer::getFinishedFiles, "directory", directory);
        Gauge.builder("mesh.archive.open.files", producer, ArchiveProducer::getOpenFiles)
                .description("Archive files open for writing (.part)").tag("directory", directory).register(registry);
        Timer commit = Timer.builder("mesh.archive.commit")
                .description("Writing one batch with its fsync").tag("directory", directory)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        producer.setCommitLatencySink(nanos -> commit.record(nanos, TimeUnit.NANOSECONDS));
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, source, count).description(description).tags(tags).register(registry);
    }
}
