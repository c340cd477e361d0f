package io.meshbridge.archive;

import java.nio.file.Path;

/**
 * A process for {@link ArchiveLargeFileIT}, run with a small heap: verifies the archive below the directory
 * given as the argument and prints the first line of the report.
 */
public final class ArchiveVerifyChild {

    private ArchiveVerifyChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(ArchiveVerifier.verify(Path.of(args[0])).describe().lines().findFirst().orElseThrow());
    }
}
