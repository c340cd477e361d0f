package io.meshbridge.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/** File operations shared by writer, recovery, reader and verifier: durable renames, reading, finishing. */
final class ArchiveFiles {

    /**
     * What a scan of a data file found.
     *
     * @param size        the file's length in bytes
     * @param validLength the length of its prefix of complete batches
     * @param sha256      the SHA-256 of all its bytes, hex
     * @param problems    one text per line in that prefix that does not parse
     */
    record Scan(long size, long validLength, String sha256, List<String> problems) {
    }

    private ArchiveFiles() {
    }

    /**
     * Reads a data file forward, passing the event of each line of its complete batches to {@code events};
     * holds one batch at a time, never the whole file. Reads the file as long as it was when opened.
     */
    static Scan scan(Path file, Compression compression, Consumer<ArchiveRecord> events) throws IOException {
        List<String> problems = new ArrayList<>();
        long[] lineNumber = {0};
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteWindow window = new ByteWindow(Channels.newInputStream(ch), ch.size());
            long valid = Members.decode(compression, window, (data, offset, length) -> {
                int start = offset;
                for (int i = offset; i < offset + length; i++) {
                    if (data[i] != '\n') {
                        continue;
                    }
                    lineNumber[0]++;
                    try {
                        events.accept(Lines.parse(data, start, i - start));
                    } catch (IOException e) {
                        problems.add(file + ": line " + lineNumber[0] + ": " + e.getMessage());
                    }
                    start = i + 1;
                }
            });
            long size = window.drain();
            return new Scan(size, valid, window.sha256(), problems);
        }
    }

    /**
     * Finishes a {@code .part} file whose data is already fsynced: renames it atomically to its final name,
     * fsyncs the directory, then writes its manifest atomically.
     *
     * @throws FileAlreadyExistsException when the final name is taken: a finished file is never replaced
     */
    static Manifest finish(Path part, ArchiveFileName name, FileSummary summary) throws IOException {
        Path dir = part.getParent();
        Path target = dir.resolve(name.finished());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a finished archive file is never replaced");
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(dir);
        Manifest manifest = Manifest.of(name, summary, Files.size(target), sha256(target));
        writeAtomically(dir.resolve(name.manifest()), manifest.toJson());
        return manifest;
    }

    /** Writes {@code content} to a temporary file, fsyncs it, renames it over {@code target}, fsyncs the directory. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, content, 0);
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    static void writeFully(FileChannel ch, byte[] content, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        long at = position;
        while (buffer.hasRemaining()) {
            at += ch.write(buffer, at);
        }
    }

    /**
     * Creates {@code dir} with its missing parents, each made durable in its own parent (fsynced there), so
     * that what is created in it later survives a power loss once fsynced too.
     */
    static void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                // created meanwhile by another writer, which fsyncs it too; one more fsync does no harm
            }
            fsyncDirectory(p.getParent());
        }
    }

    /**
     * Makes the creation, rename or deletion of an entry of {@code dir} durable (Linux and macOS; a no-op where
     * directories cannot be opened).
     */
    static void fsyncDirectory(Path dir) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static Manifest readManifest(Path manifest) throws IOException {
        return Manifest.parse(Files.readAllBytes(manifest));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
