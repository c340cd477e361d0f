package io.meshbridge.cli;

import picocli.CommandLine.Command;

/** The {@code events} command group: {@code list}, {@code watch} and {@code emit}. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Read, follow and publish mesh events.",
        subcommands = {ListCommand.class, WatchCommand.class, EmitCommand.class})
final class EventsCommand {
}
