package io.meshbridge.archive;

import java.time.Instant;
import java.util.List;

/**
 * The result of {@link ArchiveVerifier#verify}.
 *
 * @param files          finished data files checked
 * @param partFiles      {@code .part} files found (being written, or left by a process that died); their
 *                       complete lines count for duplicates and gaps
 * @param events         readable lines in all files
 * @param problems       one text per problem: a missing or invalid manifest, a checksum, count, sequence or
 *                       time that does not match, an unreadable line, bytes after the last complete batch of a
 *                       finished file, a manifest without its file
 * @param duplicateCount how many events were found more than once (same stream, creation time, sequence)
 * @param duplicates     the first {@value ArchiveVerifier#MAX_LISTED} of them
 * @param gaps           missing sequences between the lowest and highest archived per stream incarnation, but
 *                       for those dead-lettered (when checked); with a subject filter on the archive route these
 *                       include the sequences it left out
 * @param deadLettersChecked whether the dead-letter stream was consulted
 * @param deadLettered   missing sequences that the dead-letter stream holds: a route gave up on them, they are
 *                       not lost; empty when not checked
 */
public record VerifyReport(int files, int partFiles, long events, List<String> problems, long duplicateCount,
                           List<Duplicate> duplicates, List<Gap> gaps, boolean deadLettersChecked,
                           List<DeadLettered> deadLettered) {

    /** Copies the lists. */
    public VerifyReport {
        problems = List.copyOf(problems);
        duplicates = List.copyOf(duplicates);
        gaps = List.copyOf(gaps);
        deadLettered = List.copyOf(deadLettered);
        if (!deadLettersChecked && !deadLettered.isEmpty()) {
            throw new IllegalArgumentException("dead-lettered sequences come only from a check");
        }
    }

    /**
     * An event found more than once.
     *
     * @param stream        the stream name
     * @param streamCreated the stream's creation time
     * @param sequence      the sequence
     */
    public record Duplicate(String stream, Instant streamCreated, long sequence) {
    }

    /**
     * Sequences missing from the archive of one stream incarnation.
     *
     * @param stream        the stream name
     * @param streamCreated the stream's creation time
     * @param range         the missing sequences
     */
    public record Gap(String stream, Instant streamCreated, SequenceRange range) {
    }

    /**
     * Sequences missing from the archive of one stream incarnation that the dead-letter stream holds.
     *
     * @param stream        the stream name
     * @param streamCreated the stream's creation time
     * @param range         the sequences, all dead-lettered by {@code route}
     * @param route         the route that gave up on them
     */
    public record DeadLettered(String stream, Instant streamCreated, SequenceRange range, String route) {
    }

    /** How many events were dead-lettered instead of archived. */
    public long deadLetteredCount() {
        return deadLettered.stream().mapToLong(d -> d.range().count()).sum();
    }

    /** Whether the archive has no problem, no duplicate and no gap (dead-lettered events are no gap). */
    public boolean ok() {
        return problems.isEmpty() && duplicateCount == 0 && gaps.isEmpty();
    }

    /**
     * A few lines for people: the counts (with the dead-lettered events when checked), then every problem,
     * duplicate, gap and dead-lettered range.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(files).append(" files, ").append(partFiles).append(" part files, ").append(events)
                .append(" events, ").append(problems.size()).append(" problems, ").append(duplicateCount)
                .append(" duplicates, ").append(gaps.size()).append(" gaps");
        if (deadLettersChecked) {
            out.append(", ").append(deadLetteredCount()).append(" dead-lettered");
        }
        out.append('\n');
        problems.forEach(p -> out.append("problem: ").append(p).append('\n'));
        duplicates.forEach(d -> out.append("duplicate: ").append(d.stream()).append(" created ")
                .append(d.streamCreated()).append(" seq ").append(d.sequence()).append('\n'));
        gaps.forEach(g -> out.append("gap: ").append(g.stream()).append(" created ").append(g.streamCreated())
                .append(" seq ").append(g.range().first()).append("..").append(g.range().last()).append('\n'));
        deadLettered.forEach(d -> out.append("dead-lettered: ").append(d.stream()).append(" created ")
                .append(d.streamCreated()).append(" seq ").append(d.range().first()).append("..")
                .append(d.range().last()).append(" by route ").append(d.route()).append('\n'));
        return out.toString();
    }
}
