package io.meshbridge.archive;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes one writer per archive directory and worker id: an exclusive lock on {@code .<worker>.lock} in the
 * directory, held while the writer is open. A second writer with the same worker id (another process, or
 * another route in the same process) would recover, cut back and rename the first one's files under its
 * feet; it fails to open instead. The operating system releases the lock when the process dies, so a killed
 * worker never blocks its restart. The lock file itself stays (it is empty and ignored by readers).
 */
final class DirectoryLock implements Closeable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code workerId} in {@code directory} (created when missing).
     *
     * @throws IOException when another writer holds it, or the lock file cannot be opened
     */
    static DirectoryLock acquire(Path directory, String workerId) throws IOException {
        ArchiveFiles.createDirectories(directory);
        Path file = directory.resolve("." + workerId + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("archive directory " + directory + " is already being written with worker id '"
                    + workerId + "' (lock " + file.getFileName() + " is held): give each writer its own worker id"
                    + " or directory");
        }
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
