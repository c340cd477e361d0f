package io.meshbridge.archive;

import io.meshbridge.events.EventTypes;
import java.time.Instant;

/**
 * Which archived events to read.
 *
 * @param since   the earliest stream time, inclusive; {@code null} for no lower bound
 * @param until   the latest stream time, exclusive; {@code null} for no upper bound
 * @param filter  a NATS subject filter ({@code events.tool.>}, {@code events.*.crashed}); {@code null} for all
 */
public record ArchiveQuery(Instant since, Instant until, String filter) {

    /** Validates the filter and the order of the bounds. */
    public ArchiveQuery {
        if (filter != null) {
            EventTypes.requireValidFilter(filter);
        }
        if (since != null && until != null && until.isBefore(since)) {
            throw new IllegalArgumentException("until " + until + " is before since " + since);
        }
    }

    /** Every archived event. */
    public static ArchiveQuery all() {
        return new ArchiveQuery(null, null, null);
    }

    boolean matches(ArchiveRecord event) {
        return (since == null || !event.time().isBefore(since))
                && (until == null || event.time().isBefore(until))
                && (filter == null || SubjectFilter.matches(filter, event.subject()));
    }

    /** Whether a file with events between {@code first} and {@code last} (inclusive) may hold matches. */
    boolean overlaps(Instant first, Instant last) {
        return (since == null || !last.isBefore(since)) && (until == null || first.isBefore(until));
    }
}
