package io.meshbridge.archive;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@link ArchiveVerifier} needs to tell dead-lettered events from lost ones: the dead letters of the
 * routes that write the archive, and the creation time of each event stream as it exists now (a dead letter
 * belongs to the newest incarnation of its stream created before it was stored, among those the archive
 * holds and the current one).
 *
 * @param letters        the dead letters
 * @param streamsCreated creation time per stream name, of the streams that exist; may be empty
 */
public record DeadLetterIndex(List<DeadLetter> letters, Map<String, Instant> streamsCreated) {

    /** Copies the members. */
    public DeadLetterIndex {
        letters = List.copyOf(letters);
        streamsCreated = Map.copyOf(streamsCreated);
    }
}
