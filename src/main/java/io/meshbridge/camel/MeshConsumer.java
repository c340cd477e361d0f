package io.meshbridge.camel;

import io.meshbridge.events.Bus;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventTypes;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.ConsumerConfiguration;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code mesh:<subject filter>}: a durable JetStream pull consumer on the event stream whose
 * messages become exchanges, acknowledged one by one once the exchange has completed.
 *
 * <p><b>Start.</b> Ensures the dead-letter stream, then creates the durable (named by the {@code durable} option,
 * else after the route id) with explicit acknowledgement, unlimited server-side max deliver, the route's filter,
 * start position, ack wait and max ack pending; an existing durable created with another filter or start position
 * fails the start with a message naming the option. Then starts fetching. Consumers (threads, routes or processes)
 * using the same durable share its messages: each message goes to one of them.
 *
 * <p><b>Fetching.</b> One receiving thread ({@code MeshFetch[<durable>]}) keeps one pull subscription bound to
 * the durable and pull requests ahead of the route: up to {@code batchSize} messages, asked again once half
 * arrived, never more than the free places in the window of {@code maxAckPending} unsettled messages; a request
 * waits up to {@code pollTimeout} on the server, and a new one is always waiting, so an event published at a
 * quiet time is delivered at once. It registers every message as it arrives (from then on it is kept alive, see
 * below), checks that it is an event ({@code EventCodec.scan}) and queues it for the dispatching threads.
 *
 * <p><b>Exchanges.</b> {@code concurrentConsumers} dispatching threads take batches from the queue. The body is
 * the payload as {@code byte[]} (convertible to {@code Event}, {@code Map} and {@code String}); the headers are
 * those of {@link MeshConstants}, filled in when a step first touches headers; the exchange property
 * {@link MeshConstants#RECEIVED_EVENT_PROPERTY} holds a {@link ConsumedEvent} that decodes the data only when a
 * step asks for it. Each exchange is handed to the route asynchronously; a route without asynchronous steps runs
 * on the dispatching thread. Messages marked {@code Mesh-Replay: true} are acknowledged and skipped unless
 * {@code includeReplays=true}; payloads that are not events go to the dead-letter stream at once unless
 * {@code raw=true}.
 *
 * <p><b>Acknowledgement.</b> A message is acknowledged only when its exchange has completed successfully (including
 * asynchronous steps: the completion callback queues it; {@link AckSender} sends it in a burst within about a
 * millisecond, and only then is the message settled). From its arrival until it is settled, "in progress" is sent
 * for a message every third of {@code ackWait} so the server does not redeliver it, for at most {@code
 * maxProcessingTime} (then it is logged, counted in {@link #getAbandoned()}, and left to the server's redelivery).
 *
 * <p><b>Failure.</b> A failed exchange is negatively acknowledged with the delay that {@code backoff} gives
 * for its attempt number. The attempt that is the {@code maxDeliver}-th, a {@link MeshPermanentException}
 * anywhere in the cause chain, or a message already delivered more than {@code maxDeliver} times (its last
 * attempt died with the process) sends the message to {@link MeshConstants#DLQ_STREAM} on
 * {@code mesh.dlq.<routeId>}; only once that write is acknowledged is the original terminated. If the write
 * fails the message is negatively acknowledged and dead-lettered on its next delivery: nothing is dropped.
 *
 * <p><b>Stop.</b> Camel's graceful shutdown first suspends the consumer (so does suspending the route):
 * fetching stops at once, and already fetched messages whose exchange has not started are negatively
 * acknowledged without delay so that another consumer takes them, unless the route's shutdown running task is
 * {@code CompleteAllTasks}; the subscription is drained first, so the server does not hand them back to this
 * consumer. Running exchanges finish and are acknowledged meanwhile;
 * {@link #getPendingExchangesSize()} tells the shutdown how many are left. Only then is the consumer stopped.
 * The durable is never deleted. Resuming a suspended route fetches again. A message negatively acknowledged at
 * stop counts as a delivery on the server: after many stops it may reach {@code maxDeliver} with fewer attempts.
 *
 * <p><b>Redrive.</b> {@link #redrive} runs a dead letter of this route through the route again in this process
 * ({@link Redrives}): as a last delivery of the original message, never republished to the stream.
 *
 * <p><b>Pause.</b> A connector can be paused on every worker sharing its durable ({@link #getPause()},
 * {@link ConnectorPause}): fetching stops as on a suspend, the route stays started, and a start of the route
 * resumes it. A {@code backoff} whose retries outlast the stream's max age fails the start.
 *
 * <p><b>Threading and order.</b> The dispatching threads ({@code MeshConsumer[<durable>]}) hand exchanges to the
 * route and run synchronous routes themselves; one thread per consumer ({@code MeshAcks[<durable>]}) sends
 * acknowledgements, another ({@code MeshProgress[<durable>]}) "in progress"; dead-letter results are handled on
 * jnats' threads. After a resume, new dispatchers start only once the old ones have left. With one dispatching
 * thread and a synchronous route, messages are processed in stream order, except retried ones; otherwise no order
 * is guaranteed.
 */
public class MeshConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    /**
     * Exchange property: the id of a consumed payload that is not an event ({@code raw=true}); for events the
     * {@link ConsumedEvent} carries it. Tells an inherited id header from a chosen one.
     */
    static final String CONSUMED_ID_PROPERTY = "CamelMeshConsumedEventId";

    private static final Logger LOG = LoggerFactory.getLogger(MeshConsumer.class);

    private final MeshEndpoint endpoint;
    private final MeshConfiguration config;
    private final String filter;
    private final Set<Delivery> inFlight = ConcurrentHashMap.newKeySet();
    private final ConsumerStats stats;
    private Fetcher fetcher;
    private Settlements settlements;
    private volatile ShutdownRunningTask shutdownRunningTask = ShutdownRunningTask.CompleteCurrentTaskOnly;
    private KeepAlive keepAlive;
    private String stream;
    private String durable;
    private String routeLabel;
    // retention gaps: first check at start, then periodic; its event before the first dispatch (RetentionGaps)
    private GapChecks gapChecks;
    private ConnectorPause pause;
    private volatile Redrives redrives;
    private final FetchSwitch fetching = new FetchSwitch(this::startFetching, this::stopFetching, () -> pause);

    /** A consumer of {@code endpoint}'s subject filter feeding {@code processor}. */
    public MeshConsumer(MeshEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.filter = endpoint.getTarget();
        this.stats = endpoint.consumerStats();
    }

    @Override
    public MeshEndpoint getEndpoint() {
        return endpoint;
    }

    /** The durable consumer's name (known once started). */
    public String getDurable() {
        return durable;
    }

    /** The retention gap checks of this consumer (known once started). */
    public RetentionGaps getRetentionGaps() {
        return gapChecks == null ? null : gapChecks.gaps();
    }

    /**
     * This worker's counts of deliveries and settlements of this route's consumers (read-only): kept by the
     * endpoint, so a restart of the route, which creates a new consumer, goes on counting.
     */
    public ConsumerStats getStats() {
        return stats;
    }

    /** Messages fetched and not yet finally acknowledged (acked, nacked or terminated). */
    public int getInFlight() {
        return inFlight.size();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        config.validateForConsumer();
        EventTypes.requireValidFilter(filter);
        Connection connection = endpoint.getComponent().connection();
        stream = endpoint.streamName();
        durable = endpoint.durableName(getRouteId());
        routeLabel = getRouteId() != null ? getRouteId() : config.getDurable();
        RetrySchedule retries = config.retrySchedule();
        EventCodec codec = Bus.codecFor(connection);
        JetStream js = connection.jetStream();
        Duration deadLetterWindow = DeadLetters.ensureStream(connection);
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        settlements = new Settlements(js, DeadLetters.subject(routeLabel), routeLabel, durable,
                DeadLetters.retryDelay(retries.last(), deadLetterWindow), stats, this::settle, executors, this);
        redrives = new Redrives(this, config, codec, routeLabel, connection.jetStreamManagement(),
                executors.newSingleThreadExecutor(this, "MeshRedrive[" + durable + "]"));
        ExchangeDispatcher dispatcher = new ExchangeDispatcher(this, config, codec, settlements, inFlight, retries,
                () -> shutdownRunningTask, stats);
        gapChecks = GapChecks.of(this);
        fetcher = new Fetcher(js, stream, durable, config, gapChecks.beforeDispatching(dispatcher), executors, this);
        ConsumerConfiguration desired = DurableSetup.desired(durable, filter, config, routeLabel);
        StreamConfiguration streamConfig = connection.jetStreamManagement().getStreamInfo(stream).getConfiguration();
        retries.requireWithin(streamConfig.getMaxAge(), stream);
        DurableSetup.ensure(connection.jetStreamManagement(), stream, desired);
        gapChecks.start();
        pause = ConnectorPause.start(connection, streamConfig.getReplicas(), durable, routeLabel,
                endpoint.getComponent().getNodeName(), () -> fetching.set(null), executors, this);
        keepAlive = new KeepAlive(inFlight, durable, config.getAckWait(), config.getMaxProcessingTime());
        keepAlive.start(executors, this);
        fetching.set(Boolean.TRUE);
        LOG.info("Consuming {} from stream {} with durable {} ({} thread(s), batch {}, max ack pending {})",
                filter, stream, durable, config.getConcurrentConsumers(), config.getBatchSize(),
                config.getMaxAckPending());
    }

    @Override
    protected void doSuspend() throws Exception {
        fetching.set(Boolean.FALSE);
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        fetching.set(Boolean.TRUE);
    }

    /**
     * The pause of this consumer's connector, kept in NATS for every worker on the durable (known once started).
     * A step that finds its destination gone calls {@link ConnectorPause#pause}.
     */
    public ConnectorPause getPause() {
        return pause;
    }

    /**
     * Runs the dead letter {@code letter} of this route through the route once more, in this process
     * ({@link Redrives}); any thread. Completes once the exchange succeeded and the dead letter is deleted, or
     * fails with the route's exception (the dead letter stays).
     *
     * @throws IllegalArgumentException when it is not this route's dead letter
     * @throws IllegalStateException    when the route is not running, is paused, or redrives it already
     */
    public CompletableFuture<Void> redrive(StoredDeadLetter letter) {
        if (redrives == null) {
            throw new IllegalStateException("route " + getRouteId() + " has not started");
        }
        return redrives.redrive(letter);
    }

    @Override
    protected void doStop() throws Exception {
        fetching.set(Boolean.FALSE);
        if (!inFlight.isEmpty()) {
            LOG.warn("Stopping durable {} with {} message(s) unacknowledged; the server redelivers them after ackWait",
                    durable, inFlight.size());
        }
        stopKeepAlive();
        if (settlements != null) {
            settlements.close(); // after the running exchanges' completions: sends their queued acknowledgements
        }
        if (gapChecks != null) {
            gapChecks.stop();
        }
        if (pause != null) {
            pause.stop();
        }
        if (redrives != null) {
            redrives.stop(getEndpoint().getCamelContext().getExecutorServiceManager());
        }
        super.doStop();
    }

    private void startFetching() {
        shutdownRunningTask = ShutdownRunningTask.CompleteCurrentTaskOnly;
        fetcher.start();
    }

    /** Stops fetching; running exchanges go on, kept alive, and are acknowledged when they complete. */
    private void stopFetching() {
        if (fetcher != null) {
            fetcher.stop();
        }
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.stop();
        }
    }

    @Override
    protected void doShutdown() throws Exception {
        stopKeepAlive();
        super.doShutdown();
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask task) {
        shutdownRunningTask = task;
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        return inFlight.size();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (forced) {
            LOG.warn("Forced shutdown of durable {} with {} message(s) unacknowledged; the server redelivers them"
                    + " after ackWait", durable, inFlight.size());
            stopKeepAlive();
        }
    }

    /** Exchanges no longer kept from redelivery because they ran past {@code maxProcessingTime}. */
    public long getAbandoned() {
        return keepAlive == null ? 0 : keepAlive.abandoned();
    }

    /** Called once per delivery, when it is settled. */
    private void settle(Delivery d) {
        inFlight.remove(d);
        fetcher.release();
    }
}
