package io.meshbridge.camel;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.ReplayPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the durable pull consumer of a {@code mesh:} route, or checks that an existing one matches it.
 *
 * <p>The start position and the filter are fixed when a durable is created (nats-server 2.9 cannot change
 * them), so an existing durable that differs there is an error naming the option. The acknowledgement wait
 * and the max ack pending are brought to the route's values; the server-side max deliver is kept unlimited
 * because the consumer counts attempts itself.
 *
 * <p><b>Repositioned durables.</b> A durable deleted and created again at another start ({@link #recreate}, for
 * a rewind or a skip) carries {@value #REPOSITIONED} in its description; its start position is then not compared
 * with the route's options (it is meant to differ), while the filter, the acknowledgement policy and being a pull
 * consumer still are.
 */
final class DurableSetup {

    static final int CONSUMER_NOT_FOUND = 10014;
    static final int STREAM_NOT_FOUND = 10059;
    /** In the description of a durable created again at another start position. */
    static final String REPOSITIONED = "; repositioned to ";
    private static final String FIX = "; delete the consumer or use another durable name";

    private static final Logger LOG = LoggerFactory.getLogger(DurableSetup.class);

    private DurableSetup() {
    }

    /** The consumer configuration a route asks for. */
    static ConsumerConfiguration desired(String durable, String filter, MeshConfiguration config, String routeId) {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(filter)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(config.getAckWait())
                .maxAckPending(config.getMaxAckPending())
                .maxDeliver(-1)
                .replayPolicy(ReplayPolicy.Instant)
                .deliverPolicy(config.jetStreamDeliverPolicy())
                .description("mesh-bridge route " + Names.headerValue(routeId, 200));
        if (config.jetStreamDeliverPolicy() == DeliverPolicy.ByStartTime) {
            b.startTime(config.startInstant().atZone(ZoneOffset.UTC));
        } else if (config.jetStreamDeliverPolicy() == DeliverPolicy.ByStartSequence) {
            b.startSequence(config.getStartSequence());
        }
        return b.build();
    }

    /**
     * The configuration of a durable created again at {@code sequence} (when positive) or {@code time}: the
     * route's filter and acknowledgement settings, the given start, and a description marking it repositioned.
     */
    static ConsumerConfiguration repositioned(String durable, String filter, MeshConfiguration config,
                                              String routeId, long sequence, Instant time) {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder(desired(durable, filter, config, routeId));
        String at;
        if (sequence > 0) {
            b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(sequence).startTime(null);
            at = "sequence " + sequence;
        } else {
            Objects.requireNonNull(time, "time");
            b.deliverPolicy(DeliverPolicy.ByStartTime).startTime(time.atZone(ZoneOffset.UTC)).startSequence(0);
            at = "time " + time;
        }
        return b.description("mesh-bridge route " + Names.headerValue(routeId, 200) + REPOSITIONED + at + " at "
                + Instant.now()).build();
    }

    /** Whether {@code actual} was created again at another start by {@link #recreate}. */
    static boolean isRepositioned(ConsumerConfiguration actual) {
        String description = actual.getDescription();
        return description != null && description.startsWith("mesh-bridge route ")
                && description.contains(REPOSITIONED);
    }

    /**
     * Deletes the durable of {@code wanted} (when it exists, after checking that it can serve the route) and
     * creates it again as {@code wanted}. Nothing must consume from it meanwhile: acknowledgements sent for the
     * deleted one are ignored by the new one.
     *
     * @throws IllegalStateException when the existing durable cannot serve the route (named as at a start)
     */
    static ConsumerInfo recreate(JetStreamManagement jsm, String stream, ConsumerConfiguration wanted)
            throws IOException, JetStreamApiException {
        String durable = wanted.getDurable();
        try {
            ConsumerConfiguration actual = jsm.getConsumerInfo(stream, durable).getConsumerConfiguration();
            String conflict = servingConflict(durable, wanted, actual);
            if (conflict != null) {
                throw new IllegalStateException(conflict);
            }
            jsm.deleteConsumer(stream, durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
        }
        ConsumerInfo created = jsm.addOrUpdateConsumer(stream, wanted);
        LOG.warn("Created durable consumer {} on stream {} again for {}: {}", durable, stream,
                wanted.getFilterSubject(), wanted.getDescription());
        return created;
    }

    /**
     * Creates the durable when it is missing; otherwise checks it and updates what may change.
     *
     * @throws IllegalStateException naming the option when the existing durable was created differently, or
     *                               when the stream does not exist
     */
    static ConsumerInfo ensure(JetStreamManagement jsm, String stream, ConsumerConfiguration desired)
            throws IOException, JetStreamApiException {
        String durable = desired.getDurable();
        ConsumerInfo existing;
        try {
            existing = jsm.getConsumerInfo(stream, durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new IllegalStateException("stream " + stream + " does not exist; create it (the worker"
                        + " does at start) or set the stream option", e);
            }
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
            ConsumerInfo created = jsm.addOrUpdateConsumer(stream, desired);
            LOG.info("Created durable consumer {} on stream {} for {} from {}", durable, stream,
                    desired.getFilterSubject(), MeshConfiguration.optionValue(desired.getDeliverPolicy()));
            return created;
        }
        ConsumerConfiguration actual = existing.getConsumerConfiguration();
        String conflict = conflict(durable, desired, actual);
        if (conflict != null) {
            throw new IllegalStateException(conflict);
        }
        if (needsUpdate(desired, actual)) {
            ConsumerConfiguration merged = ConsumerConfiguration.builder(actual)
                    .ackWait(desired.getAckWait())
                    .maxAckPending(desired.getMaxAckPending())
                    .maxDeliver(-1)
                    .build();
            LOG.info("Updating durable consumer {} on stream {}: ackWait {}, maxAckPending {}, maxDeliver unlimited",
                    durable, stream, desired.getAckWait(), desired.getMaxAckPending());
            return jsm.updateConsumer(stream, merged);
        }
        return existing;
    }

    /**
     * Why an existing durable cannot serve the route, or {@code null} when it can: {@link #servingConflict}, then,
     * unless the durable was repositioned, a start position other than the route's.
     */
    static String conflict(String durable, ConsumerConfiguration desired, ConsumerConfiguration actual) {
        String serving = servingConflict(durable, desired, actual);
        return serving != null || isRepositioned(actual) ? serving : startConflict(durable, desired, actual);
    }

    /** Why {@code actual} cannot serve the route whatever its start: push consumer, ack policy, filter. */
    static String servingConflict(String durable, ConsumerConfiguration desired, ConsumerConfiguration actual) {
        if (actual.getDeliverSubject() != null) {
            return "durable '" + durable + "' exists as a push consumer (deliver subject "
                    + actual.getDeliverSubject() + ") but mesh routes need a pull consumer" + FIX;
        }
        if (actual.getAckPolicy() != AckPolicy.Explicit) {
            return "durable '" + durable + "' exists with ackPolicy=" + actual.getAckPolicy()
                    + " but mesh routes acknowledge each message explicitly" + FIX;
        }
        List<String> filters = actual.getFilterSubjects();
        if (filters == null || filters.size() != 1 || !filters.get(0).equals(desired.getFilterSubject())) {
            return "durable '" + durable + "' exists with filter subject "
                    + (filters == null || filters.isEmpty() ? "(none)" : String.join(",", filters))
                    + " but the route asks for " + desired.getFilterSubject() + FIX;
        }
        return null;
    }

    private static String startConflict(String durable, ConsumerConfiguration desired, ConsumerConfiguration actual) {
        if (actual.getDeliverPolicy() != desired.getDeliverPolicy()) {
            return "durable '" + durable + "' exists with deliverPolicy="
                    + MeshConfiguration.optionValue(actual.getDeliverPolicy()) + " but the route asks for "
                    + MeshConfiguration.optionValue(desired.getDeliverPolicy()) + FIX;
        }
        if (desired.getDeliverPolicy() == DeliverPolicy.ByStartSequence
                && actual.getStartSequence() != desired.getStartSequence()) {
            return "durable '" + durable + "' exists with startSequence=" + actual.getStartSequence()
                    + " but the route asks for " + desired.getStartSequence() + FIX;
        }
        if (desired.getDeliverPolicy() == DeliverPolicy.ByStartTime) {
            Instant a = actual.getStartTime() == null ? null : actual.getStartTime().toInstant();
            Instant d = desired.getStartTime().toInstant();
            if (!d.equals(a)) {
                return "durable '" + durable + "' exists with startTime=" + a + " but the route asks for " + d
                        + FIX;
            }
        }
        return null;
    }

    private static boolean needsUpdate(ConsumerConfiguration desired, ConsumerConfiguration actual) {
        Duration ackWait = actual.getAckWait();
        return !Objects.equals(ackWait, desired.getAckWait())
                || actual.getMaxAckPending() != desired.getMaxAckPending()
                || actual.getMaxDeliver() > 0;
    }
}
