package io.meshbridge.webhook.camel;

import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConfiguration;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.camel.MeshEndpoint;
import io.meshbridge.camel.MeshPermanentException;
import io.meshbridge.camel.MeshRetryException;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.Timestamps;
import io.meshbridge.webhook.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an attempt's {@link Outcome} into the exchange's failure (or none), and pauses the route when the
 * endpoint is gone (410) or has failed without a success for {@code pauseAfter}: through the route's
 * {@code mesh:} consumer ({@link ConnectorPause}, kept in NATS for every worker on the durable), then emits
 * {@value #PAUSED_TYPE} into the route's stream. Thread-safe.
 */
final class Pausing {

    /** The event type emitted when a webhook route pauses. */
    static final String PAUSED_TYPE = "user.mesh-bridge.webhook-paused";

    private static final Logger LOG = LoggerFactory.getLogger(Pausing.class);
    private static final Duration EMIT_TIMEOUT = Duration.ofSeconds(5);

    private final CamelContext context;
    private final WebhookOptions options;
    private final Executor executor;
    private final Object lock = new Object();
    private volatile long failingSinceNanos = -1;
    private long lastFailureNanos;
    private boolean pausing;
    private volatile MeshConfiguration consumerConfig;
    private volatile long overdueNanos = Duration.ofMinutes(5).toNanos();

    Pausing(CamelContext context, WebhookOptions options, Executor executor) {
        this.context = context;
        this.options = options;
        this.executor = executor;
    }

    /** The failure to complete {@code exchange} with, or null when the event was delivered. */
    RuntimeException verdict(Exchange exchange, ConsumedEvent event, Outcome outcome) {
        if (consumerConfig == null && exchange.getFromEndpoint() instanceof MeshEndpoint from) {
            MeshConfiguration config = from.getConfiguration();
            overdueNanos = config.retrySchedule().longest()
                    .plus(config.getAckWait().multipliedBy(2)).toNanos();
            consumerConfig = config;
        }
        if (outcome.kind() == Outcome.Kind.SUCCESS) {
            answered();
            return null;
        }
        String what = describe(outcome, options.origin());
        switch (outcome.kind()) {
            case PERMANENT -> {
                answered();
                return new MeshPermanentException(what);
            }
            case GONE -> {
                pause(exchange, what + ": the endpoint says it is gone", outcome);
                return new WebhookFailedException(what);
            }
            default -> {
                Duration failing = failing();
                if (!options.pauseAfter().isZero() && failing.compareTo(options.pauseAfter()) >= 0) {
                    pause(exchange, "no success for " + failing.toSeconds() + " s (pauseAfter " + options.pauseAfter()
                            + "); last: " + what, outcome);
                }
                return outcome.retryAfter() != null ? new MeshRetryException(what, outcome.retryAfter())
                        : new WebhookFailedException(what);
            }
        }
    }

    /** What an attempt came to, for a log line, a dead letter or a pause: reason, origin, the answer's excerpt. */
    static String describe(Outcome outcome, String origin) {
        return outcome.reason() + " from " + origin + (outcome.excerpt().isEmpty() ? "" : ": " + outcome.excerpt());
    }

    /** Whether the route of {@code exchange} is paused (its consumer's {@link ConnectorPause}). */
    boolean paused(Exchange exchange) {
        Route route = context.getRoute(exchange.getFromRouteId());
        return route != null && route.getConsumer() instanceof MeshConsumer consumer && consumer.getPause() != null
                && consumer.getPause().paused();
    }

    /** Whether this was the exchange's last attempt (the consumer dead-letters it when it fails). */
    boolean lastAttempt(Exchange exchange) {
        ConsumedEvent event = exchange.getProperty(io.meshbridge.camel.MeshConstants.RECEIVED_EVENT_PROPERTY,
                ConsumedEvent.class);
        MeshConfiguration config = consumerConfig;
        return event != null && config != null && event.deliveries() >= config.getMaxDeliver();
    }

    /** How long after a failed attempt its retry is overdue: the longest backoff delay and two ack waits. */
    long redeliveryOverdueNanos() {
        return overdueNanos;
    }

    private void answered() {
        if (failingSinceNanos >= 0) { // read without the lock: the usual case, a success after a success
            synchronized (lock) {
                failingSinceNanos = -1;
            }
        }
    }

    /**
     * How long the endpoint has failed without a success, this failure included. Failures further apart than a
     * retry can be overdue start a new window: a quiet route (or one whose retries succeeded on another worker)
     * that fails once at 10:00 and once at 12:00 has not failed for two hours.
     */
    private Duration failing() {
        long now = System.nanoTime();
        long quiet = redeliveryOverdueNanos();
        synchronized (lock) {
            if (failingSinceNanos < 0 || now - lastFailureNanos > quiet) {
                failingSinceNanos = now;
            }
            lastFailureNanos = now;
            return Duration.ofNanos(now - failingSinceNanos);
        }
    }

    private void pause(Exchange exchange, String reason, Outcome outcome) {
        Route route = context.getRoute(exchange.getFromRouteId());
        if (route == null || !(route.getConsumer() instanceof MeshConsumer consumer) || consumer.getPause() == null) {
            LOG.error("Webhook {} should pause ({}), but its route {} does not start with mesh:", options.origin(),
                    reason, exchange.getFromRouteId());
            return;
        }
        ConnectorPause pause = consumer.getPause();
        synchronized (lock) {
            if (pause.paused() || pausing) {
                return;
            }
            pausing = true; // the pause itself (a key-value write) goes on outside the lock
        }
        try {
            executor.execute(() -> {
                try {
                    pause.pause(reason);
                    LOG.error("Route {} paused: {}. Restart the worker to resume it", route.getRouteId(), reason);
                    emitPaused(consumer, route.getRouteId(), reason, outcome);
                } finally {
                    synchronized (lock) {
                        pausing = false;
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            synchronized (lock) {
                pausing = false; // the route is stopping: it fetches nothing more anyway
            }
        }
    }

    private void emitPaused(MeshConsumer consumer, String routeId, String reason, Outcome outcome) {
        MeshEndpoint from = consumer.getEndpoint();
        String node = from.getComponent().getNodeName();
        Instant now = Instant.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("route", routeId);
        data.put("durable", consumer.getDurable());
        data.put("endpoint", options.origin());
        data.put("reason", reason);
        if (outcome.status() > 0) {
            data.put("status", outcome.status());
        }
        data.put("since", Timestamps.format(now));
        data.put("worker", node);
        try {
            PersistentBus bus = PersistentBus.attach(from.getComponent().connection(), node, PersistConfig.defaults()
                    .withStreamName(from.streamName()).withEmit(EMIT_TIMEOUT, 1));
            bus.emit(Event.user(node, PAUSED_TYPE.substring("user.".length()), data),
                    "mesh-webhook-paused-" + consumer.getDurable() + "-" + now.toEpochMilli());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Cannot emit the {} event of route {}: {}", PAUSED_TYPE, routeId, e.toString());
        }
    }
}
