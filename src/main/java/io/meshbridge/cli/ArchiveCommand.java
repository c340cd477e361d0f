package io.meshbridge.cli;

import picocli.CommandLine.Command;

/** The {@code archive} command group: {@code verify}. */
@Command(name = "archive", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check an event archive.",
        subcommands = {VerifyCommand.class})
public final class ArchiveCommand {
}
