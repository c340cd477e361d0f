package io.meshbridge.archive;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** One incarnation of a stream: its name and creation time. Sequences are unique within one. */
record StreamKey(String stream, Instant created) implements Comparable<StreamKey> {

    private static final Comparator<StreamKey> ORDER =
            Comparator.comparing(StreamKey::created).thenComparing(StreamKey::stream);

    StreamKey {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(created, "created");
    }

    @Override
    public int compareTo(StreamKey other) {
        return ORDER.compare(this, other);
    }
}
