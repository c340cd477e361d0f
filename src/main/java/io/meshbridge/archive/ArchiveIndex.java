package io.meshbridge.archive;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one worker has archived, per stream incarnation, held in memory that grows with the worker's files,
 * not with its events: a subject filter narrower than the stream leaves a hole between almost every two
 * archived sequences, so a set of all of them would cost one entry per event.
 *
 * <p>Held: the sequences of the files open for writing (their summaries, bounded by the roll size and the
 * maximum of open files); for each finished file only its manifest and its lowest and highest sequence. A
 * question about a sequence inside a finished file's span reads that manifest's ranges, and the ranges of the
 * most recently used {@code cachedFiles} finished files are kept. Questions about sequences above everything
 * archived (new events, nearly all of them) are answered from the high-water mark alone.
 *
 * <p>{@link #acknowledgedUpTo} drops the finished files wholly at or below the consumer's acknowledgement
 * floor: the consumer never delivers those sequences again. Not thread-safe (the writer serialises calls).
 */
final class ArchiveIndex {

    /** A finished file: its manifest and sequence span. */
    private record Finished(Path manifest, long first, long last) {
    }

    private static final class Incarnation {
        long highWater;
        final List<SequenceRanges> open = new ArrayList<>();
        final TreeMap<Long, List<Finished>> byLast = new TreeMap<>();
    }

    private final Map<StreamKey, Incarnation> incarnations = new HashMap<>();
    private final LinkedHashMap<Finished, SequenceRanges> cache;

    /** An empty index keeping the ranges of at most {@code cachedFiles} finished files. */
    ArchiveIndex(int cachedFiles) {
        if (cachedFiles < 1) {
            throw new IllegalArgumentException("cachedFiles must be at least 1, was " + cachedFiles);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Finished, SequenceRanges> eldest) {
                return size() > cachedFiles;
            }
        };
    }

    /** A file opened for writing: {@code live} is its summary's set, which grows as batches are committed. */
    void opened(StreamKey key, SequenceRanges live) {
        incarnation(key).open.add(live);
    }

    /** A batch was committed to an open file of {@code key}, up to {@code highestSequence}. */
    void committed(StreamKey key, long highestSequence) {
        Incarnation inc = incarnation(key);
        inc.highWater = Math.max(inc.highWater, highestSequence);
    }

    /** An open file was finished with the manifest {@code manifest}; its sequences are {@code live}. */
    void finished(StreamKey key, SequenceRanges live, Path manifest) {
        Incarnation inc = incarnation(key);
        inc.open.removeIf(r -> r == live);
        if (!live.isEmpty()) {
            cache.put(add(inc, manifest, live.min(), live.max()), live);
        }
    }

    /**
     * An open file failed and was recovered from disk: {@code manifests}, beside it in {@code directory}, say
     * what it holds now (nothing, when empty).
     */
    void replaced(StreamKey key, SequenceRanges live, List<Manifest> manifests, Path directory) {
        incarnation(key).open.removeIf(r -> r == live);
        for (Manifest m : manifests) {
            recovered(m, m.path(directory));
        }
    }

    /** A finished file found or recovered at start, with its whole manifest. */
    void recovered(Manifest manifest, Path manifestPath) {
        Finished f = add(incarnation(manifest.key()), manifestPath, manifest.firstSequence(), manifest.lastSequence());
        cache.put(f, manifest.sequences());
    }

    /** A finished file found at start, known by its manifest's header. */
    void recovered(Manifest.Header header, Path manifestPath) {
        add(incarnation(header.key()), manifestPath, header.firstSequence(), header.lastSequence());
    }

    /**
     * Whether sequence {@code seq} of {@code key} is archived.
     *
     * @throws IOException when the manifest of a finished file spanning it cannot be read
     */
    boolean contains(StreamKey key, long seq) throws IOException {
        Incarnation inc = incarnations.get(key);
        if (inc == null || seq > inc.highWater) {
            return false;
        }
        for (SequenceRanges live : inc.open) {
            if (live.contains(seq)) {
                return true;
            }
        }
        List<Finished> spanning = new ArrayList<>();
        for (List<Finished> files : inc.byLast.tailMap(seq, true).values()) {
            for (Finished f : files) {
                if (f.first() <= seq) {
                    spanning.add(f);
                }
            }
        }
        for (Finished f : spanning) {
            if (ranges(inc, f).contains(seq)) {
                return true;
            }
        }
        return false;
    }

    /** The highest archived sequence of {@code key}, or 0. */
    long highWater(StreamKey key) {
        Incarnation inc = incarnations.get(key);
        return inc == null ? 0 : inc.highWater;
    }

    /**
     * Forgets the finished files of {@code key} whose sequences all lie at or below {@code floor}: a consumer
     * whose acknowledgement floor that is delivers none of them again.
     */
    void acknowledgedUpTo(StreamKey key, long floor) {
        Incarnation inc = incarnations.get(key);
        if (inc == null) {
            return;
        }
        Map<Long, List<Finished>> below = inc.byLast.headMap(floor, true);
        below.values().forEach(files -> files.forEach(cache::remove));
        below.clear();
    }

    /** Finished data files were deleted (retention): forgets them. */
    void deleted(Collection<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        Set<Path> manifests = new HashSet<>();
        files.forEach(f -> manifests.add(f.resolveSibling(f.getFileName() + ArchiveFileName.MANIFEST_SUFFIX)));
        for (Incarnation inc : incarnations.values()) {
            for (Iterator<List<Finished>> it = inc.byLast.values().iterator(); it.hasNext(); ) {
                List<Finished> list = it.next();
                list.removeIf(f -> {
                    boolean gone = manifests.contains(f.manifest());
                    if (gone) {
                        cache.remove(f);
                    }
                    return gone;
                });
                if (list.isEmpty()) {
                    it.remove();
                }
            }
        }
    }

    /** The number of sequence ranges held in memory (open files and cached manifests). */
    long rangesHeld() {
        long n = 0;
        for (Incarnation inc : incarnations.values()) {
            for (SequenceRanges live : inc.open) {
                n += live.size();
            }
        }
        for (SequenceRanges r : cache.values()) {
            n += r.size();
        }
        return n;
    }

    /** The number of finished files known. */
    long finishedFiles() {
        long n = 0;
        for (Incarnation inc : incarnations.values()) {
            for (List<Finished> files : inc.byLast.values()) {
                n += files.size();
            }
        }
        return n;
    }

    private Incarnation incarnation(StreamKey key) {
        return incarnations.computeIfAbsent(key, k -> new Incarnation());
    }

    private static Finished add(Incarnation inc, Path manifest, long first, long last) {
        Finished f = new Finished(manifest, first, last);
        inc.byLast.computeIfAbsent(last, k -> new ArrayList<>(1)).add(f);
        inc.highWater = Math.max(inc.highWater, last);
        return f;
    }

    /** The sequences of a finished file; one whose manifest is gone (retention) holds none any more. */
    private SequenceRanges ranges(Incarnation inc, Finished f) throws IOException {
        SequenceRanges cached = cache.get(f);
        if (cached != null) {
            return cached;
        }
        SequenceRanges ranges;
        try {
            ranges = ArchiveFiles.readManifest(f.manifest()).sequences();
        } catch (NoSuchFileException e) {
            List<Finished> files = inc.byLast.get(f.last());
            files.remove(f);
            if (files.isEmpty()) {
                inc.byLast.remove(f.last());
            }
            return new SequenceRanges();
        }
        cache.put(f, ranges);
        return ranges;
    }
}
