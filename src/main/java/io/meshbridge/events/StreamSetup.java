package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Makes sure a stream exists, without taking it over from its operator.
 *
 * <ul>
 *   <li>A missing stream is created with the desired configuration.</li>
 *   <li>An existing stream is used as it is: its limits belong to the operator. Each setting that differs
 *   from the desired one is logged as a warning and returned; the stream is changed only when
 *   {@code update} is true.</li>
 *   <li>An existing stream that does not take the desired subjects is an error naming both subject lists,
 *   and so is another stream already capturing them.</li>
 * </ul>
 *
 * <p>Stateless; each call talks to the server.
 */
public final class StreamSetup {

    private static final System.Logger LOG = System.getLogger(StreamSetup.class.getName());
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int SUBJECTS_OVERLAP = 10065;

    private StreamSetup() {
    }

    /** What {@link #ensure} found or did. */
    public record Outcome(StreamInfo info, boolean created, boolean updated, List<String> differences) {
        /** Freezes the list. */
        public Outcome {
            differences = List.copyOf(differences);
        }
    }

    /**
     * Ensures the stream {@code desired.getName()} exists and takes {@code desired.getSubjects()}.
     *
     * @throws IOException            when the server cannot be reached
     * @throws IllegalStateException  when the stream exists with other subjects, or the subjects belong to
     *                                another stream
     */
    public static Outcome ensure(Connection connection, StreamConfiguration desired, boolean update)
            throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        StreamInfo existing;
        try {
            existing = jsm.getStreamInfo(desired.getName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            return create(jsm, desired);
        }
        StreamConfiguration actual = existing.getConfiguration();
        if (!new HashSet<>(actual.getSubjects()).containsAll(desired.getSubjects())) {
            throw new IllegalStateException("stream " + desired.getName() + " exists with subjects "
                    + actual.getSubjects() + " but must take " + desired.getSubjects()
                    + "; use another stream name or fix the stream's subjects");
        }
        List<String> differences = differences(desired, actual);
        if (differences.isEmpty()) {
            return new Outcome(existing, false, false, differences);
        }
        if (update) {
            StreamConfiguration.Builder merged = StreamConfiguration.builder(actual)
                    .maxAge(desired.getMaxAge())
                    .maxMessages(desired.getMaxMsgs())
                    .replicas(desired.getReplicas())
                    .duplicateWindow(desired.getDuplicateWindow());
            if (desired.getMaxBytes() > 0) {
                merged.maxBytes(desired.getMaxBytes());
            }
            LOG.log(Level.WARNING, "updating stream {0}: {1}", desired.getName(), differences);
            return new Outcome(jsm.updateStream(merged.build()), false, true, differences);
        }
        LOG.log(Level.WARNING, "stream {0} is used as the operator configured it; it differs from this"
                + " configuration in: {1} (set the update option to apply the configuration)",
                desired.getName(), String.join("; ", differences));
        return new Outcome(existing, false, false, differences);
    }

    private static Outcome create(JetStreamManagement jsm, StreamConfiguration desired)
            throws IOException, JetStreamApiException {
        try {
            StreamInfo info = jsm.addStream(desired);
            LOG.log(Level.INFO, "created stream {0} on {1}", desired.getName(), desired.getSubjects());
            return new Outcome(info, true, false, List.of());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == SUBJECTS_OVERLAP) {
                throw new IllegalStateException("cannot create stream " + desired.getName() + ": subjects "
                        + desired.getSubjects() + " are already captured by another stream ("
                        + e.getErrorDescription() + "); configure that stream's name instead", e);
            }
            throw e;
        }
    }

    static List<String> differences(StreamConfiguration desired, StreamConfiguration actual) {
        List<String> out = new ArrayList<>();
        compare(out, "maxAge", desired.getMaxAge(), actual.getMaxAge());
        compare(out, "maxMsgs", normalise(desired.getMaxMsgs()), normalise(actual.getMaxMsgs()));
        if (desired.getMaxBytes() > 0) { // a configuration without a byte limit leaves the stream's as it is
            compare(out, "maxBytes", desired.getMaxBytes(), actual.getMaxBytes());
        }
        compare(out, "storage", desired.getStorageType(), actual.getStorageType());
        compare(out, "replicas", desired.getReplicas(), actual.getReplicas());
        compare(out, "duplicateWindow", desired.getDuplicateWindow(), actual.getDuplicateWindow());
        return out;
    }

    private static long normalise(long limit) {
        return limit <= 0 ? -1 : limit;
    }

    private static void compare(List<String> out, String name, Object desired, Object actual) {
        if (!Objects.equals(desired, actual)) {
            out.add(name + " is " + actual + ", configured " + desired);
        }
    }
}
