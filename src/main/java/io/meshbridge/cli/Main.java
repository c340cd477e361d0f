package io.meshbridge.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code mesh-bridge} command line. Subcommands are listed in {@link Command#subcommands()} below;
 * adding one is adding its class there. Errors are one line on stderr ({@code --verbose} adds the stack
 * trace); exit codes: 0 success, 1 runtime or connection failure, 2 usage error.
 */
@Command(name = "mesh-bridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Bridge and archival worker for the jb-mesh event bus on NATS JetStream.",
        subcommands = {
            ArchiveCommand.class,
            ConnectorsCommand.class,
            DlqCommand.class,
            EventsCommand.class,
            HealthCommand.class,
            RunCommand.class,
        })
public final class Main {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "show debug logging and the stack trace of a failure")
    boolean verbose;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line with stdout and stderr as UTF-8 and returns the exit code. */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configured command line writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        Failures.install(cl);
        return cl;
    }

    /** Whether {@code --verbose} was given anywhere on the command line of {@code spec}. */
    static boolean verbose(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main main && main.verbose;
    }

    /** The {@code Implementation-Version} of the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mesh-bridge " + (version == null ? "(development build)" : version)};
        }
    }
}
