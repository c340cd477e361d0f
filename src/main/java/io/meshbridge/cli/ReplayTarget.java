package io.meshbridge.cli;

import io.meshbridge.events.EventTypes;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where {@code archive replay} publishes: a replay stream under a subject prefix (the safe default, which
 * no consumer of the event stream sees), or the event stream itself under the original subjects.
 *
 * @param stream the JetStream stream that must store the replayed events
 * @param prefix the subject prefix put before each original subject ({@code replay} makes
 *               {@code events.tool.crashed} {@code replay.events.tool.crashed}); {@code null} to publish to
 *               the original subjects, into the event stream
 */
record ReplayTarget(String stream, String prefix) {

    /** The default replay stream. */
    static final String DEFAULT_STREAM = "MESH_REPLAY";

    /** The default subject prefix. */
    static final String DEFAULT_PREFIX = "replay";

    /** How long a replay stream created by the command keeps its events. */
    static final Duration MAX_AGE = Duration.ofDays(7);

    /**
     * How long a replay stream created by the command remembers the event ids: a replay repeated (or resumed
     * after a failure) within this time stores no event twice.
     */
    static final Duration DUPLICATE_WINDOW = Duration.ofHours(1);

    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final int MAX_PREFIX_LENGTH = 100;

    /** Validates the stream name and the prefix. */
    ReplayTarget {
        Objects.requireNonNull(stream, "stream");
        if (!STREAM_NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream name '" + stream
                    + "' must be 1 to 255 letters, digits, '_' or '-'");
        }
        if (prefix != null) {
            requireValidPrefix(prefix);
        }
    }

    /** A replay stream: each event under {@code <prefix>.<original subject>}. */
    static ReplayTarget replayStream(String stream, String prefix) {
        return new ReplayTarget(stream, Objects.requireNonNull(prefix, "prefix"));
    }

    /** The event stream: each event under its original subject. */
    static ReplayTarget eventStream(String stream) {
        return new ReplayTarget(stream, null);
    }

    /** Whether the events go to their original subjects, into the event stream. */
    boolean intoEvents() {
        return prefix == null;
    }

    /** The subject an event archived under {@code original} is published to. */
    String subject(String original) {
        return prefix == null ? original : prefix + "." + original;
    }

    /** The subjects of the replay stream, {@code <prefix>.>}. */
    String subjects() {
        if (prefix == null) {
            throw new IllegalStateException("the event stream's subjects belong to its operator");
        }
        return prefix + ".>";
    }

    /**
     * The configuration of the replay stream when it has to be created: file storage, events kept
     * {@link #MAX_AGE}, ids remembered {@link #DUPLICATE_WINDOW}, no count limit.
     */
    StreamConfiguration streamConfiguration() {
        return StreamConfiguration.builder()
                .name(stream)
                .subjects(subjects())
                .storageType(StorageType.File)
                .maxAge(MAX_AGE)
                .maxMessages(-1)
                .replicas(1)
                .duplicateWindow(DUPLICATE_WINDOW)
                .build();
    }

    /** For the summary: {@code subject prefix replay} or {@code original subjects}. */
    String describeSubjects() {
        return prefix == null ? "original subjects" : "subject prefix " + prefix;
    }

    private static void requireValidPrefix(String prefix) {
        if (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("subject prefix '" + prefix + "' must be up to " + MAX_PREFIX_LENGTH
                    + " characters: tokens of letters, digits, '_' or '-' separated by dots (replay, replay.today)");
        }
        String eventsToken = EventTypes.SUBJECT_PREFIX.substring(0, EventTypes.SUBJECT_PREFIX.length() - 1);
        if (prefix.equals(eventsToken) || prefix.startsWith(EventTypes.SUBJECT_PREFIX)) {
            throw new IllegalArgumentException("subject prefix '" + prefix + "' would put the replayed events"
                    + " among the live events (" + EventTypes.SUBJECT_PREFIX + "...); to replay into the event"
                    + " stream use --into-events");
        }
    }
}
