package io.meshbridge.cli;

import io.meshbridge.app.ConfigException;
import io.meshbridge.app.ConfigParser;
import io.meshbridge.app.ConfigSources;
import io.meshbridge.app.Worker;
import io.meshbridge.app.WorkerConfig;
import io.meshbridge.app.WorkerException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run [--config FILE]}: the worker ({@link Worker}) until SIGTERM. An invalid configuration ends it
 * with exit code 2 and one line naming the key; a failure to start with exit code 1.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run the worker: the YAML routes of mesh.routes and the route templates in the jar.",
            "Configuration: config/application.properties (else the defaults in the jar), --config FILE,",
            "environment variables (MESH_NATS_URL for mesh.nats.url), -D system properties."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "a properties file overriding config/application.properties")
    Path config;

    @Override
    public Integer call() {
        WorkerConfig parsed;
        ConfigSources.Layered layered;
        try {
            layered = ConfigSources.load(config);
            parsed = ConfigParser.parse(layered.properties());
        } catch (ConfigException e) {
            throw new CliException(e.getMessage(), CliException.USAGE, e);
        }
        try {
            new Worker(parsed, layered.sources()).run();
        } catch (WorkerException e) {
            throw CliException.runtime(e.getMessage(), e);
        }
        return 0;
    }
}
