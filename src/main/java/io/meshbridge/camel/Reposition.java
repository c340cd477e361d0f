package io.meshbridge.camel;

import io.nats.client.api.ConsumerInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * Moves the durable of a {@code mesh:} route to another start, to rewind or to skip: nats-server (2.9 at least)
 * cannot change where a durable starts, so the durable is deleted and created again with the route's filter and
 * acknowledgement settings and a start {@code by_start_sequence} or {@code by_start_time}. It then delivers next
 * the first event of the filter at or after that position. The new durable is marked in its description, so that
 * the route's start accepts it although its start differs from the route's options (filter, acknowledgement
 * policy and pull mode are still checked).
 *
 * <p>This class only recreates. Doing so safely is the caller's part: the route stopped on this worker, every
 * other consumer of the durable paused ({@link ConnectorPause}) and its acknowledgements settled (none pending on
 * the server), since acknowledgements sent for the deleted durable are ignored by the new one; then the route
 * started again, which resumes every worker. Consumers that were not paused lose their subscription when the
 * durable goes, and bind to the new one on their own (they retry, with a pause growing to 5 s).
 */
public final class Reposition {

    /**
     * Where the durable starts again: a stream sequence or a time, exactly one.
     *
     * @param sequence the first stream sequence to deliver (at least 1), or 0 for a time
     * @param time     the stream time from which to deliver, or {@code null} for a sequence
     */
    public record Target(long sequence, Instant time) {
        /** Requires exactly one of a positive sequence and a time. */
        public Target {
            if ((sequence > 0) == (time != null) || sequence < 0) {
                throw new IllegalArgumentException("a position is a sequence of at least 1 or a time, exactly one;"
                        + " was sequence " + sequence + ", time " + time);
            }
        }

        /** The position at stream sequence {@code sequence}. */
        public static Target sequence(long sequence) {
            return new Target(sequence, null);
        }

        /** The position at stream time {@code time}. */
        public static Target time(Instant time) {
            return new Target(0, Objects.requireNonNull(time, "time"));
        }
    }

    private Reposition() {
    }

    /**
     * Deletes the durable of {@code consumer} (of the route {@code routeId}) and creates it again at
     * {@code target}; returns the new durable's state.
     *
     * @throws IllegalStateException when the consumer is still started, or the existing durable cannot serve the
     *                               route (a push consumer, another filter or acknowledgement policy)
     * @throws Exception             when NATS fails (the durable may then be gone: calling again creates it)
     */
    public static ConsumerInfo recreate(MeshConsumer consumer, String routeId, Target target) throws Exception {
        if (consumer.isStarted() || consumer.isStarting() || consumer.isSuspended()) {
            throw new IllegalStateException("the consumer of route " + routeId + " must be stopped first");
        }
        MeshEndpoint endpoint = consumer.getEndpoint();
        MeshConfiguration config = endpoint.getConfiguration();
        String durable = endpoint.durableName(routeId);
        String label = routeId != null ? routeId : durable;
        return DurableSetup.recreate(endpoint.getComponent().connection().jetStreamManagement(),
                endpoint.streamName(), DurableSetup.repositioned(durable, endpoint.getTarget(), config, label,
                        target.sequence(), target.time()));
    }
}
