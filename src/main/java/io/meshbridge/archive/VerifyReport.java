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
 * @param gaps           missing sequences between the lowest and highest archived per stream incarnation; with
 *                       a subject filter on the archive route these include the sequences it left out
 */
public record VerifyReport(int files, int partFiles, long events, List<String> problems, long duplicateCount,
                           List<Duplicate> duplicates, List<Gap> gaps) {

    /** Copies the lists. */
    public VerifyReport {
        problems = List.copyOf(problems);
        duplicates = List.copyOf(duplicates);
        gaps = List.copyOf(gaps);
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

    /** Whether the archive has no problem, no duplicate and no gap. */
    public boolean ok() {
        return problems.isEmpty() && duplicateCount == 0 && gaps.isEmpty();
    }

    /** A few lines for people: the counts, then every problem, duplicate and gap. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(files).append(" files, ").append(partFiles).append(" part files, ").append(events)
                .append(" events, ").append(problems.size()).append(" problems, ").append(duplicateCount)
                .append(" duplicates, ").append(gaps.size()).append(" gaps\n");
        problems.forEach(p -> out.append("problem: ").append(p).append('\n'));
        duplicates.forEach(d -> out.append("duplicate: ").append(d.stream()).append(" created ")
                .append(d.streamCreated()).append(" seq ").append(d.sequence()).append('\n'));
        gaps.forEach(g -> out.append("gap: ").append(g.stream()).append(" created ").append(g.streamCreated())
                .append(" seq ").append(g.range().first()).append("..").append(g.range().last()).append('\n'));
        return out.toString();
    }
}
