package io.meshbridge.camel;

import io.meshbridge.events.Timestamps;
import io.nats.client.api.DeliverPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a {@code mesh:} endpoint, set from its URI parameters (for example
 * {@code mesh:events.tool.*?durable=archive&maxDeliver=3&backoff=1s,10s}). The component holds a default
 * instance; each endpoint gets a copy with its URI parameters applied.
 *
 * <p>Consumer options:
 * <ul>
 *   <li>{@code durable}: the durable consumer's name (default: the route id, with characters that a consumer
 *   name cannot hold replaced by {@code _}); routes and processes using the same name share the work;</li>
 *   <li>{@code deliverPolicy}: where a new durable starts: {@code all} (default), {@code new},
 *   {@code last-per-subject}, {@code by-time} (with {@code startTime}, RFC 3339) or {@code by-sequence} (with
 *   {@code startSequence}). An existing durable keeps its position; a different start position or filter
 *   fails the start;</li>
 *   <li>{@code batchSize} (500): most messages fetched by one pull request (with several
 *   {@code concurrentConsumers}, each dispatching thread takes at most its share of a batch at a time);</li>
 *   <li>{@code maxAckPending} (1000): most messages delivered and not yet acknowledged, in this consumer and
 *   on the server's durable;</li>
 *   <li>{@code ackWait} (30s): the server redelivers a message not acknowledged within it; the consumer
 *   sends "in progress" for running exchanges well before;</li>
 *   <li>{@code maxProcessingTime} (10m): how long a running exchange is kept from redelivery with "in
 *   progress"; then the consumer stops extending it, logs and counts it, and the server redelivers the message
 *   after {@code ackWait}; {@code 0} extends it for as long as it runs;</li>
 *   <li>{@code backoff} (1s,5s,30s): delays before the 2nd, 3rd, ... attempt of a failed message, the last
 *   one repeating;</li>
 *   <li>{@code maxDeliver} (5): attempts before a failed message goes to the dead-letter stream;</li>
 *   <li>{@code concurrentConsumers} (1): fetching threads;</li>
 *   <li>{@code raw} (false): deliver payloads that are not events instead of dead-lettering them;</li>
 *   <li>{@code includeReplays} (false): deliver messages marked {@code Mesh-Replay: true};</li>
 *   <li>{@code pollTimeout} (5s): how long one pull request waits when no message is available.</li>
 * </ul>
 * Producer option: {@code emitTimeout} (30s), how long an emit retries (same id) before the exchange fails.
 * Both: {@code stream}, the event stream (default: the component's, {@code MESH_EVENTS}).
 *
 * <p>Not thread-safe: configure, then {@link #validateForConsumer() validate} before use.
 */
@UriParams
public class MeshConfiguration implements Cloneable {

    /** The values accepted by {@code deliverPolicy}. */
    public static final List<String> DELIVER_POLICIES =
            List.of("all", "new", "last-per-subject", "by-time", "by-sequence");

    @UriParam(description = "The JetStream stream holding the events. Defaults to the component's stream"
                            + " (MESH_EVENTS).")
    private String stream;

    @UriParam(label = "consumer", description = "Name of the durable JetStream consumer. Defaults to the route"
                                                + " id (characters not allowed in a consumer name become _)."
                                                + " Every route or process using the same name shares the"
                                                + " work.")
    private String durable;

    @UriParam(label = "consumer", defaultValue = "all", enums = "all,new,last-per-subject,by-time,by-sequence",
              description = "Where a new durable consumer starts. An existing durable keeps its position; if"
                            + " it was created with another start position the route fails to start.")
    private String deliverPolicy = "all";

    @UriParam(label = "consumer", description = "Start time (RFC 3339) for deliverPolicy=by-time.")
    private String startTime;

    @UriParam(label = "consumer", description = "First stream sequence for deliverPolicy=by-sequence.")
    private long startSequence;

    @UriParam(label = "consumer", defaultValue = "500", description = "Most messages fetched by one pull"
                                                                      + " request; with several concurrent"
                                                                      + " consumers each takes at most its share"
                                                                      + " of a batch at a time.")
    private int batchSize = 500;

    @UriParam(label = "consumer", defaultValue = "1000", description = "Most messages delivered and not yet"
                                                                       + " acknowledged at once.")
    private int maxAckPending = 1000;

    @UriParam(label = "consumer", defaultValue = "30s", javaType = "java.time.Duration",
              description = "The server redelivers a message not acknowledged within this time. Running"
                            + " exchanges are kept alive with 'in progress' acknowledgements.")
    private Duration ackWait = Duration.ofSeconds(30);

    @UriParam(label = "consumer", defaultValue = "10m", javaType = "java.time.Duration",
              description = "How long a running exchange is kept from redelivery. After it the consumer stops"
                            + " sending 'in progress', logs and counts it, and the server redelivers the"
                            + " message after ackWait (to this or another worker). 0 keeps it for as long as it"
                            + " runs. At least ackWait when set.")
    private Duration maxProcessingTime = Duration.ofMinutes(10);

    @UriParam(label = "consumer", defaultValue = "1s,5s,30s", description = "Delays before retrying a failed"
                                                                            + " message: the n-th failed"
                                                                            + " attempt waits the n-th value,"
                                                                            + " the last one repeating.")
    private String backoff = "1s,5s,30s";

    @UriParam(label = "consumer", defaultValue = "5", description = "Attempts before a failing message goes"
                                                                    + " to the dead-letter stream MESH_DLQ.")
    private int maxDeliver = 5;

    @UriParam(label = "consumer", defaultValue = "1", description = "Number of fetching threads.")
    private int concurrentConsumers = 1;

    @UriParam(label = "consumer", defaultValue = "false", description = "Deliver payloads that are not events"
                                                                        + " (as bytes) instead of sending"
                                                                        + " them to the dead-letter stream.")
    private boolean raw;

    @UriParam(label = "consumer", defaultValue = "false", description = "Deliver messages marked Mesh-Replay:"
                                                                        + " true (re-published history);"
                                                                        + " by default they are"
                                                                        + " acknowledged and skipped.")
    private boolean includeReplays;

    @UriParam(label = "consumer,advanced", defaultValue = "5s", javaType = "java.time.Duration",
              description = "How long one pull request waits when no message is available (at least 1s).")
    private Duration pollTimeout = Duration.ofSeconds(5);

    @UriParam(label = "producer", defaultValue = "30s", javaType = "java.time.Duration",
              description = "How long an emit retries (with the same id) before the exchange fails.")
    private Duration emitTimeout = Duration.ofSeconds(30);

    /** A copy, for an endpoint. */
    public MeshConfiguration copy() {
        try {
            return (MeshConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks the consumer options, naming the one at fault.
     *
     * @throws IllegalArgumentException when an option is invalid or options contradict each other
     */
    public void validateForConsumer() {
        positive("batchSize", batchSize);
        positive("maxAckPending", maxAckPending);
        positive("maxDeliver", maxDeliver);
        positive("concurrentConsumers", concurrentConsumers);
        if (ackWait == null || ackWait.toMillis() < 100) {
            throw new IllegalArgumentException("ackWait must be at least 100ms, was " + ackWait);
        }
        if (maxProcessingTime == null || maxProcessingTime.isNegative()
                || !maxProcessingTime.isZero() && maxProcessingTime.compareTo(ackWait) < 0) {
            throw new IllegalArgumentException("maxProcessingTime must be 0 (no limit) or at least ackWait ("
                    + ackWait + "), was " + maxProcessingTime);
        }
        if (pollTimeout == null || pollTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("pollTimeout must be at least 1s, was " + pollTimeout);
        }
        retrySchedule();
        DeliverPolicy policy = jetStreamDeliverPolicy();
        if (policy == DeliverPolicy.ByStartTime) {
            if (startTime == null || startTime.isBlank()) {
                throw new IllegalArgumentException("deliverPolicy=by-time needs startTime (RFC 3339)");
            }
            startInstant();
        } else if (startTime != null) {
            throw new IllegalArgumentException("startTime is only used with deliverPolicy=by-time, not "
                    + deliverPolicy);
        }
        if (policy == DeliverPolicy.ByStartSequence) {
            if (startSequence < 1) {
                throw new IllegalArgumentException("deliverPolicy=by-sequence needs startSequence of 1 or more");
            }
        } else if (startSequence != 0) {
            throw new IllegalArgumentException("startSequence is only used with deliverPolicy=by-sequence, not "
                    + deliverPolicy);
        }
    }

    /** The JetStream deliver policy for {@link #getDeliverPolicy()}. */
    DeliverPolicy jetStreamDeliverPolicy() {
        String p = deliverPolicy == null ? "" : deliverPolicy.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "all" -> DeliverPolicy.All;
            case "new" -> DeliverPolicy.New;
            case "last-per-subject" -> DeliverPolicy.LastPerSubject;
            case "by-time" -> DeliverPolicy.ByStartTime;
            case "by-sequence" -> DeliverPolicy.ByStartSequence;
            default -> throw new IllegalArgumentException("deliverPolicy must be one of " + DELIVER_POLICIES
                    + ", was '" + deliverPolicy + "'");
        };
    }

    /** The option value naming a JetStream deliver policy, e.g. {@code last-per-subject}. */
    static String optionValue(DeliverPolicy policy) {
        return switch (policy) {
            case All -> "all";
            case New -> "new";
            case LastPerSubject -> "last-per-subject";
            case ByStartTime -> "by-time";
            case ByStartSequence -> "by-sequence";
            case Last -> "last";
        };
    }

    /** {@link #getStartTime()} parsed. */
    Instant startInstant() {
        try {
            return Timestamps.parse(startTime.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("startTime: " + e.getMessage(), e);
        }
    }

    /** The retry schedule of {@code backoff} and {@code maxDeliver}. */
    public RetrySchedule retrySchedule() {
        return RetrySchedule.parse(backoff, maxDeliver);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    public String getStream() {
        return stream;
    }

    /** The event stream; {@code null} for the component's. */
    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getDurable() {
        return durable;
    }

    /** The durable consumer's name; {@code null} for the route id. */
    public void setDurable(String durable) {
        this.durable = durable;
    }

    public String getDeliverPolicy() {
        return deliverPolicy;
    }

    /** One of {@link #DELIVER_POLICIES}. */
    public void setDeliverPolicy(String deliverPolicy) {
        this.deliverPolicy = deliverPolicy;
    }

    public String getStartTime() {
        return startTime;
    }

    /** RFC 3339 start time for {@code deliverPolicy=by-time}. */
    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public long getStartSequence() {
        return startSequence;
    }

    /** First stream sequence for {@code deliverPolicy=by-sequence}. */
    public void setStartSequence(long startSequence) {
        this.startSequence = startSequence;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Most messages fetched by one pull request. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxAckPending() {
        return maxAckPending;
    }

    /** Most messages delivered and not yet acknowledged. */
    public void setMaxAckPending(int maxAckPending) {
        this.maxAckPending = maxAckPending;
    }

    public Duration getAckWait() {
        return ackWait;
    }

    /** The server's redelivery timeout for unacknowledged messages. */
    public void setAckWait(Duration ackWait) {
        this.ackWait = ackWait;
    }

    public Duration getMaxProcessingTime() {
        return maxProcessingTime;
    }

    /** How long a running exchange is kept alive with "in progress"; zero for as long as it runs. */
    public void setMaxProcessingTime(Duration maxProcessingTime) {
        this.maxProcessingTime = maxProcessingTime;
    }

    public String getBackoff() {
        return backoff;
    }

    /** Comma-separated retry delays, e.g. {@code 1s,5s,30s}. */
    public void setBackoff(String backoff) {
        this.backoff = backoff;
    }

    public int getMaxDeliver() {
        return maxDeliver;
    }

    /** Attempts before dead-lettering. */
    public void setMaxDeliver(int maxDeliver) {
        this.maxDeliver = maxDeliver;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    /** Number of fetching threads. */
    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public boolean isRaw() {
        return raw;
    }

    /** Deliver undecodable payloads instead of dead-lettering them. */
    public void setRaw(boolean raw) {
        this.raw = raw;
    }

    public boolean isIncludeReplays() {
        return includeReplays;
    }

    /** Deliver messages marked {@code Mesh-Replay: true}. */
    public void setIncludeReplays(boolean includeReplays) {
        this.includeReplays = includeReplays;
    }

    public Duration getPollTimeout() {
        return pollTimeout;
    }

    /** How long one pull request waits when no message is available. */
    public void setPollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
    }

    public Duration getEmitTimeout() {
        return emitTimeout;
    }

    /** How long an emit retries before the exchange fails. */
    public void setEmitTimeout(Duration emitTimeout) {
        this.emitTimeout = emitTimeout;
    }
}
