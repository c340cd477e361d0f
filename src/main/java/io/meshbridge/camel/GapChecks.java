package io.meshbridge.camel;

import io.meshbridge.events.Backoff;
import io.nats.client.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.EndpointAware;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link MeshConsumer} checks its {@link RetentionGaps}: first when it starts, before it fetches (a
 * failed first check is retried before the first dispatch, which waits for it), and emits what that found
 * just before its first dispatch; then every {@code gapCheckInterval} of the component on a thread of its
 * own ({@code MeshGaps[<durable>]}). At the first check, the endpoints of the consumer's route that are a
 * {@link RetentionGaps.HeldFloor} are registered as the held floor. Failed periodic checks are logged and
 * tried again at the next.
 */
final class GapChecks {

    private static final Logger LOG = LoggerFactory.getLogger(GapChecks.class);
    private static final Backoff FIRST_CHECK_RETRY = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));
    private static final int FIRST_CHECK_ATTEMPTS = 4;

    private final RetentionGaps gaps;
    private final MeshConsumer consumer;
    private final Duration interval;
    private volatile boolean firstDone;
    private volatile boolean dispatched;
    private ScheduledExecutorService timer;

    private GapChecks(RetentionGaps gaps, MeshConsumer consumer, Duration interval) {
        this.gaps = gaps;
        this.consumer = consumer;
        this.interval = interval;
    }

    /** The checks of a starting consumer (its durable is set up). */
    static GapChecks of(MeshConsumer consumer) throws Exception {
        MeshEndpoint endpoint = consumer.getEndpoint();
        MeshComponent component = endpoint.getComponent();
        String durable = endpoint.durableName(consumer.getRouteId());
        RetentionGaps.Source source = new RetentionGaps.Source(endpoint.streamName(), durable, endpoint.getTarget(),
                consumer.getRouteId() != null ? consumer.getRouteId() : durable, component.getNodeName());
        return new GapChecks(new RetentionGaps(component.connection(), source, component.isGapEvents()), consumer,
                component.getGapCheckInterval());
    }

    RetentionGaps gaps() {
        return gaps;
    }

    /** At the consumer's start, before it fetches: the first check; then the periodic ones. */
    synchronized void start() {
        Exception failure = check();
        if (failure != null) {
            LOG.warn("Cannot check durable {} for a retention gap at start ({}); trying again before the first"
                    + " dispatch", gaps.source().durable(), failure.toString());
        }
        if (timer == null) {
            ExecutorServiceManager executors = consumer.getEndpoint().getCamelContext().getExecutorServiceManager();
            timer = executors.newSingleThreadScheduledExecutor(this, "MeshGaps[" + gaps.source().durable() + "]");
            long nanos = interval.toNanos();
            timer.scheduleWithFixedDelay(this::periodic, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Before a dispatch, with its messages fetched: the first check if it failed so far, and its event. */
    void beforeDispatch() {
        if (dispatched) {
            return;
        }
        synchronized (this) {
            Backoff.Attempts attempts = FIRST_CHECK_RETRY.attempts();
            while (!firstDone) {
                Exception failure = check();
                if (failure == null) {
                    break;
                }
                if (attempts.failures() + 1 >= FIRST_CHECK_ATTEMPTS) {
                    LOG.warn("Cannot check durable {} for a retention gap before consuming ({}); a gap before now"
                            + " is reported only if a later check still sees it", gaps.source().durable(),
                            failure.toString());
                    firstDone = true;
                    break;
                }
                try {
                    Thread.sleep(attempts.next().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            gaps.emitPending();
            dispatched = true;
        }
    }

    /** {@code sink}, with {@link #beforeDispatch()} before each of its dispatches. */
    Fetcher.Sink beforeDispatching(Fetcher.Sink sink) {
        return new Fetcher.Sink() {
            @Override
            public Delivery delivered(Message message, long receivedNanos) {
                return sink.delivered(message, receivedNanos);
            }

            @Override
            public void dispatch(List<Delivery> batch, Fetcher.Run run) {
                beforeDispatch();
                sink.dispatch(batch, run);
            }
        };
    }

    /** Stops the periodic checks. */
    synchronized void stop() {
        if (timer != null) {
            consumer.getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
    }

    private void periodic() {
        Exception failure;
        synchronized (this) {
            failure = check();
        }
        if (failure != null) {
            LOG.warn("Retention gap check of durable {} failed (retried in {}): {}", gaps.source().durable(), interval,
                    failure.toString());
        }
    }

    /** One check (the first one while none succeeded); returns its failure, or null. */
    private Exception check() {
        try {
            boolean first = !firstDone;
            RetentionGaps.HeldFloor found = first ? heldFloorOf(consumer.getRoute()) : null;
            if (found != null) {
                gaps.holdFloor(found);
            }
            gaps.check(first);
            firstDone = true;
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** The held floor of the route's endpoints that have one (the highest of them), or null. */
    static RetentionGaps.HeldFloor heldFloorOf(Route route) {
        List<RetentionGaps.HeldFloor> floors = new ArrayList<>();
        if (route != null) {
            for (Processor p : route.filter("*")) {
                if (p instanceof EndpointAware aware && aware.getEndpoint() instanceof RetentionGaps.HeldFloor f
                        && !floors.contains(f)) {
                    floors.add(f);
                }
            }
        }
        if (floors.size() < 2) {
            return floors.isEmpty() ? null : floors.get(0);
        }
        return new RetentionGaps.HeldFloor() {
            @Override
            public long heldUpTo(String stream, Instant created) {
                return floors.stream().mapToLong(f -> f.heldUpTo(stream, created)).max().orElse(0);
            }

            @Override
            public Instant heldTime(String stream, Instant created) {
                return floors.stream().max((a, b) -> Long.compare(a.heldUpTo(stream, created),
                        b.heldUpTo(stream, created))).map(f -> f.heldTime(stream, created)).orElse(null);
            }
        };
    }
}
