package io.meshbridge.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks an archive directory: every finished file against its manifest (SHA-256 of the bytes, count, first
 * and last sequence and time, ranges), every line (JSON with the expected members), and across all files of
 * all workers, events archived twice and sequences missing. Given the dead letters of the archive's routes
 * ({@link DeadLetterIndex}), the missing sequences they hold are reported as dead-lettered, apart from the
 * gaps, so that the gaps are what was lost (or left out by a subject filter). Files set aside by recovery
 * ({@code .unreadable}) are problems. Read-only; safe while writers run (their {@code .part} files are read
 * as far as complete). Thread-safe.
 */
public final class ArchiveVerifier {

    /** How many duplicates a report lists (all are counted). */
    public static final int MAX_LISTED = 1000;

    private final List<String> problems = new ArrayList<>();
    private final List<VerifyReport.Duplicate> duplicates = new ArrayList<>();
    private final Map<StreamKey, SequenceRanges> seen = new TreeMap<>();
    private long duplicateCount;
    private long events;
    private int files;
    private int partFiles;

    private ArchiveVerifier() {
    }

    /** Verifies the archive below {@code directory}, without consulting dead letters. */
    public static VerifyReport verify(Path directory) throws IOException {
        return verify(directory, null);
    }

    /**
     * Verifies the archive below {@code directory}; the missing sequences that {@code deadLetters} holds are
     * reported as dead-lettered, not as gaps. {@code deadLetters} null: not checked.
     */
    public static VerifyReport verify(Path directory, DeadLetterIndex deadLetters) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ArchiveVerifier v = new ArchiveVerifier();
        for (Path path : paths) {
            v.visit(path);
        }
        DeadLetterGaps.Split split = DeadLetterGaps.split(v.seen,
                deadLetters != null ? deadLetters : new DeadLetterIndex(List.of(), Map.of()));
        return new VerifyReport(v.files, v.partFiles, v.events, v.problems, v.duplicateCount, v.duplicates,
                split.gaps(), deadLetters != null, split.deadLettered());
    }

    private void visit(Path path) throws IOException {
        String fileName = path.getFileName().toString();
        if (fileName.endsWith(ArchiveFileName.MANIFEST_SUFFIX)) {
            String data = fileName.substring(0, fileName.length() - ArchiveFileName.MANIFEST_SUFFIX.length());
            if (!Files.exists(path.resolveSibling(data))) {
                problems.add(path + ": manifest without its file");
            }
            return;
        }
        if (fileName.endsWith(Recovery.UNREADABLE_SUFFIX)) {
            problems.add(path + ": set aside by recovery, its complete batches hold no readable archive line"
                    + " (see the worker's log)");
            return;
        }
        ArchiveFileName name = ArchiveFileName.parse(fileName);
        if (name == null) {
            return;
        }
        FileSummary summary = new FileSummary();
        ArchiveFiles.Scan scan = ArchiveFiles.scan(path, name.compression(), e -> {
            summary.accept(e);
            count(e);
        });
        problems.addAll(scan.problems());
        if (name.part()) {
            partFiles++;
            return;
        }
        files++;
        if (scan.validLength() < scan.size()) {
            problems.add(path + ": " + (scan.size() - scan.validLength())
                    + " bytes after the last complete batch (torn or corrupt)");
        }
        if (summary.mixed()) {
            problems.add(path + ": holds events of more than one stream incarnation");
        }
        Path manifestPath = path.resolveSibling(name.manifest());
        if (!Files.exists(manifestPath)) {
            problems.add(path + ": no manifest");
            return;
        }
        try {
            checkManifest(path, ArchiveFiles.readManifest(manifestPath), scan, summary);
        } catch (IOException e) {
            problems.add(manifestPath + ": " + e.getMessage());
        }
    }

    private void count(ArchiveRecord e) {
        events++;
        if (!seen.computeIfAbsent(e.key(), k -> new SequenceRanges()).add(e.sequence())) {
            duplicateCount++;
            if (duplicates.size() < MAX_LISTED) {
                duplicates.add(new VerifyReport.Duplicate(e.stream(), e.streamCreated(), e.sequence()));
            }
        }
    }

    private void checkManifest(Path path, Manifest m, ArchiveFiles.Scan scan, FileSummary s) {
        if (!scan.sha256().equals(m.sha256())) {
            problems.add(path + ": SHA-256 " + scan.sha256() + " does not match the manifest's " + m.sha256());
        }
        if (m.bytes() != scan.size()) {
            problems.add(path + ": " + scan.size() + " bytes, the manifest says " + m.bytes());
        }
        if (!m.file().equals(path.getFileName().toString())) {
            problems.add(path + ": the manifest names the file " + m.file());
        }
        if (s.count() == 0) {
            problems.add(path + ": no readable event, the manifest says " + m.count());
            return;
        }
        List<String> differences = new ArrayList<>();
        compare(differences, "count", s.count(), m.count());
        compare(differences, "stream", s.key(), m.key());
        compare(differences, "first_seq", s.sequences().min(), m.firstSequence());
        compare(differences, "last_seq", s.sequences().max(), m.lastSequence());
        compare(differences, "first_time", s.firstTime(), m.firstTime());
        compare(differences, "last_time", s.lastTime(), m.lastTime());
        compare(differences, "ranges", s.sequences().ranges(), m.ranges());
        differences.forEach(d -> problems.add(path + ": " + d));
    }

    private static void compare(List<String> out, String member, Object actual, Object manifest) {
        if (!actual.equals(manifest)) {
            out.add(member + " is " + actual + ", the manifest says " + manifest);
        }
    }
}
