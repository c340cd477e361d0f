package io.meshbridge.archive;

import io.meshbridge.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The archive's part of an {@link ArchiveHistory} answer: the archived messages before a
 * {@link HistoryBoundary} that match a filter, decoded as the stream's history decodes them. Every call lists
 * the directory afresh ({@link ArchiveReader#open}); a missing directory holds nothing. Stateless and
 * thread-safe.
 */
final class ColdHistory {

    /** The first time window the newest events are looked for in, back from the boundary; then widened. */
    static final Duration FIRST_WINDOW = Duration.ofHours(1);
    private static final int WIDEN = 4;

    private final Path directory;
    private final EventCodec codec;

    ColdHistory(Path directory, EventCodec codec) {
        this.directory = directory;
        this.codec = codec;
    }

    /**
     * Appends to {@code answer} the first archived entries stored at or after {@code since}, until it holds
     * {@code limit} events.
     *
     * @return whether more matching archived messages follow
     */
    boolean forward(HistoryBoundary boundary, Instant since, String filter, int limit, HistoryEntries answer)
            throws ArchiveReadException {
        Instant until = boundary.until();
        ArchiveReader reader = until != null && until.isBefore(since) ? null : open();
        return reader != null && read(reader, boundary::before, since, until, filter, record -> {
            if (answer.events() >= limit) {
                return false; // one beyond the limit: more exist
            }
            answer.addLast(HistoryEntries.decode(codec, record));
            return true;
        });
    }

    /**
     * The newest archived entries, up to {@code limit} events, oldest first; {@link HistoryEntries#more()}
     * says whether older matching messages exist. Reads back from the boundary in time windows growing
     * {@value #WIDEN}-fold from {@link #FIRST_WINDOW} until a window holds the limit or reaches the archive's
     * first event, so a long archive is not read whole for its newest events.
     */
    HistoryEntries newest(HistoryBoundary boundary, String filter, int limit) throws ArchiveReadException {
        ArchiveReader reader = open();
        if (reader == null) {
            return new HistoryEntries();
        }
        Instant until = boundary.until();
        Instant anchor = until != null ? until : Instant.now();
        Instant first = reader.firstTime();
        for (Duration window = FIRST_WINDOW; ; window = window.multipliedBy(WIDEN)) {
            Instant since = first == null || Duration.between(first, anchor).compareTo(window) <= 0 ? null
                    : anchor.minus(window);
            HistoryEntries answer = new HistoryEntries();
            read(reader, boundary::before, since, until, filter, record -> {
                answer.addLast(HistoryEntries.decode(codec, record));
                answer.trimToNewest(limit);
                return true;
            });
            if (since == null || answer.events() >= limit) {
                if (since != null && !answer.more()
                        && read(reader, boundary::before, null, since, filter, r -> false)) {
                    answer.markMore();
                }
                return answer;
            }
        }
    }

    /**
     * Appends to {@code answer} the archived entries that {@code within} accepts, stored in [{@code since},
     * {@code until}) ({@code null}: unbounded) and matching {@code filter}, in the reader's order, until it holds
     * {@code limit} entries, events and undecodable messages together; marks it when one more follows.
     *
     * @return the record of the last entry appended, or {@code null} when none was
     */
    ArchiveRecord range(Predicate<ArchiveRecord> within, Instant since, Instant until, String filter, int limit,
                        HistoryEntries answer) throws ArchiveReadException {
        ArchiveReader reader = open();
        ArchiveRecord[] last = new ArchiveRecord[1];
        if (reader != null && read(reader, within, since, until, filter, record -> {
            if (answer.size() >= limit) {
                return false; // one beyond the limit: more exist
            }
            answer.addLast(HistoryEntries.decode(codec, record));
            last[0] = record;
            return true;
        })) {
            answer.markMore();
        }
        return last[0];
    }

    /** Whether the archive holds any matching message before the boundary. */
    boolean any(HistoryBoundary boundary, String filter) throws ArchiveReadException {
        ArchiveReader reader = open();
        return reader != null && read(reader, boundary::before, null, boundary.until(), filter, record -> false);
    }

    /** A listing of the archive directory, or {@code null} when there is none. */
    private ArchiveReader open() throws ArchiveReadException {
        if (!Files.exists(directory)) {
            return null;
        }
        if (!Files.isDirectory(directory)) {
            throw new ArchiveReadException("archive directory " + directory + " is not a directory", null);
        }
        try {
            return ArchiveReader.open(directory);
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveReadException("cannot list archive directory " + directory + ": " + e, e);
        }
    }

    /**
     * Hands the archived messages that {@code within} accepts (e.g. those before a boundary), match
     * {@code filter} and were stored in [{@code since}, {@code until}) ({@code null}: unbounded) to {@code sink},
     * in the reader's order, until it returns {@code false}.
     *
     * @return whether the sink stopped the read
     */
    private static boolean read(ArchiveReader reader, Predicate<ArchiveRecord> within, Instant since, Instant until,
                                String filter, Predicate<ArchiveRecord> sink) throws ArchiveReadException {
        try (Stream<ArchiveRecord> cold = reader.read(new ArchiveQuery(since, until, filter))) {
            Iterator<ArchiveRecord> it = cold.filter(within).iterator();
            while (it.hasNext()) {
                if (!sink.test(it.next())) {
                    return true;
                }
            }
            return false;
        } catch (UncheckedIOException e) {
            throw new ArchiveReadException(e.getMessage() + ": " + e.getCause(), e.getCause());
        }
    }
}
