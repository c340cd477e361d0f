package io.meshbridge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Picocli mixin with the {@code --dir} option of the {@code archive} commands: the archive directory, as
 * configured for the archive route. Required; a missing directory is a usage error.
 */
final class ArchiveDirOption {

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "the archive directory (the archive route's directory)")
    Path dir;

    /**
     * The directory given with {@code --dir}.
     *
     * @throws ParameterException (exit code 2) when it is not an existing directory
     */
    Path directory(CommandSpec spec) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + ": no such directory");
        }
        return dir;
    }
}
