package io.meshbridge.cli;

import picocli.CommandLine.Command;

/** The {@code archive} command group: {@code verify} and {@code replay}. */
@Command(name = "archive", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check an event archive, and publish archived events again.",
        subcommands = {VerifyCommand.class, ReplayCommand.class})
final class ArchiveCommand {
}
