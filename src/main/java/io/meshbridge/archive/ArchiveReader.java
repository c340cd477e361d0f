package io.meshbridge.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the finished files of an archive directory (any worker's, any compression) in sequence order: by
 * stream incarnation (creation time, then name), then by sequence; an event archived twice (several workers
 * on one route) comes once. Files still being written ({@code .part})
 * are not read: their events are recent, so still in the stream. Files are opened lazily, a few at a time,
 * using the manifests to skip files outside the time range.
 *
 * <p>Each {@link #read} returns a sequential stream; an I/O error while it is consumed is thrown as an
 * {@link UncheckedIOException}. An instance holds a listing of the directory taken at {@link #open}; it is
 * immutable and thread-safe, the streams are not.
 */
public final class ArchiveReader {

    private static final Comparator<ArchiveRecord> ORDER =
            Comparator.comparing(ArchiveRecord::key).thenComparingLong(ArchiveRecord::sequence);

    private record FileInfo(Path path, ArchiveFileName name, StreamKey key, long firstSequence,
                            Manifest.Header manifest) {
    }

    private final List<FileInfo> files;

    private ArchiveReader(List<FileInfo> files) {
        this.files = files;
    }

    /** Lists the finished files below {@code directory} and reads their manifests' headers. */
    public static ArchiveReader open(Path directory) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<FileInfo> files = new ArrayList<>();
        for (Path path : paths) {
            ArchiveFileName name = ArchiveFileName.parse(path.getFileName().toString());
            if (name == null || name.part()) {
                continue;
            }
            Path manifestPath = path.resolveSibling(name.manifest());
            if (Files.exists(manifestPath)) {
                Manifest.Header m = Manifest.readHeader(manifestPath);
                files.add(new FileInfo(path, name, m.key(), m.firstSequence(), m));
            } else {
                FileSummary s = new FileSummary();
                ArchiveFiles.scan(path, name.compression(), s);
                if (s.count() > 0) {
                    files.add(new FileInfo(path, name, s.key(), s.sequences().min(), null));
                }
            }
        }
        files.sort(Comparator.comparing(FileInfo::key).thenComparingLong(FileInfo::firstSequence));
        return new ArchiveReader(List.copyOf(files));
    }

    /** The matching events in sequence order. */
    public Stream<ArchiveRecord> read(ArchiveQuery query) {
        List<FileInfo> candidates = files.stream()
                .filter(f -> f.manifest() == null || query.overlaps(f.manifest().firstTime(), f.manifest().lastTime()))
                .toList();
        Iterator<ArchiveRecord> it = new Merge(candidates, query);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * The earliest stored time of the files listed, from their manifests, so that a reader going back from the
     * newest events knows where to stop; {@code null} when no file is listed or one has no manifest.
     */
    Instant firstTime() {
        Instant first = null;
        for (FileInfo f : files) {
            if (f.manifest() == null) {
                return null;
            }
            first = first == null || f.manifest().firstTime().isBefore(first) ? f.manifest().firstTime() : first;
        }
        return first;
    }

    /** The number of finished files listed. */
    public int fileCount() {
        return files.size();
    }

    /** A k-way merge over the files' sorted events, opening a file only when its first sequence is due. */
    private static final class Merge implements Iterator<ArchiveRecord> {
        private final List<FileInfo> files;
        private final ArchiveQuery query;
        private final PriorityQueue<Cursor> heap = new PriorityQueue<>(Comparator.comparing(Cursor::peek, ORDER));
        private int nextFile;
        private ArchiveRecord ahead;
        private ArchiveRecord last;

        Merge(List<FileInfo> files, ArchiveQuery query) {
            this.files = files;
            this.query = query;
        }

        @Override
        public boolean hasNext() {
            while (ahead == null) {
                openDue();
                if (heap.isEmpty()) {
                    return false;
                }
                Cursor cursor = heap.poll();
                ArchiveRecord event = cursor.next();
                if (cursor.hasNext()) {
                    heap.add(cursor);
                }
                // copies (several workers, at least once) are adjacent in this order: keep the first
                if (last == null || ORDER.compare(last, event) != 0) {
                    ahead = event;
                }
            }
            return true;
        }

        @Override
        public ArchiveRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = ahead;
            ahead = null;
            return last;
        }

        private void openDue() {
            while (nextFile < files.size() && (heap.isEmpty() || due(files.get(nextFile), heap.peek().peek()))) {
                FileInfo file = files.get(nextFile++);
                Cursor cursor = new Cursor(load(file));
                if (cursor.hasNext()) {
                    heap.add(cursor);
                }
            }
        }

        private static boolean due(FileInfo file, ArchiveRecord head) {
            int byKey = file.key().compareTo(head.key());
            return byKey < 0 || byKey == 0 && file.firstSequence() <= head.sequence();
        }

        private List<ArchiveRecord> load(FileInfo file) {
            try {
                List<ArchiveRecord> events = new ArrayList<>();
                ArchiveFiles.scan(file.path(), file.name().compression(), e -> {
                    if (query.matches(e)) {
                        events.add(e);
                    }
                });
                events.sort(ORDER);
                return events;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read archive file " + file.path(), e);
            }
        }
    }

    private static final class Cursor {
        private final List<ArchiveRecord> events;
        private int index;

        Cursor(List<ArchiveRecord> events) {
            this.events = events;
        }

        boolean hasNext() {
            return index < events.size();
        }

        ArchiveRecord peek() {
            return events.get(index);
        }

        ArchiveRecord next() {
            return events.get(index++);
        }
    }
}
