package io.meshbridge.cli;

import io.meshbridge.events.ConnectionEvents;
import io.meshbridge.events.NatsConnectionConfig;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.Secret;
import io.meshbridge.events.TlsConfig;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli mixin with the NATS connection options shared by every command that talks to NATS: server URLs,
 * authentication, TLS, the event stream's name and the connect timeout. Secrets may come from the
 * environment ({@code NATS_PASSWORD}, {@code NATS_TOKEN}) so they stay off the command line; they are
 * held as {@link Secret}s and never printed.
 *
 * <p>Use it with {@code @Mixin NatsOptions nats;} and call {@link #connect(String)}.
 */
final class NatsOptions {

    @Option(names = "--server", paramLabel = "URL",
            description = "NATS server URL, or several separated by commas"
                    + " (default: $NATS_URL, else " + NatsConnectionConfig.DEFAULT_URL + ")")
    String server;

    @Option(names = "--user", paramLabel = "NAME", description = "user name (with --password or $NATS_PASSWORD)")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "password for --user (default: $NATS_PASSWORD)")
    String password;

    @Option(names = "--token", paramLabel = "TOKEN", description = "authentication token (default: $NATS_TOKEN)")
    String token;

    @Option(names = "--nkey", paramLabel = "FILE", description = "file holding an nkey seed (SU...)")
    Path nkeySeedFile;

    @Option(names = "--creds", paramLabel = "FILE", description = "credentials file (JWT and nkey seed)")
    Path credsFile;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM file of the CAs to trust (enables TLS)")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "client certificate, PEM (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "client key, PEM PKCS#8 (with --tls-cert)")
    Path tlsKey;

    @Option(names = "--tls-first", description = "TLS handshake before the server's greeting (server 2.10.4+)")
    boolean tlsFirst;

    @Option(names = "--stream", paramLabel = "NAME", defaultValue = PersistConfig.DEFAULT_STREAM,
            description = "JetStream stream of the events (default: ${DEFAULT-VALUE})")
    String stream;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = TimeoutConverter.class,
            description = "time allowed to connect, e.g. 5s, 500ms (default: ${DEFAULT-VALUE})")
    Duration connectTimeout;

    Map<String, String> env = System.getenv();

    /** The stream name given with {@code --stream}. */
    String stream() {
        return stream;
    }

    /**
     * The connection configuration these options describe.
     *
     * @throws CliException (usage) when the options contradict each other or a file is missing
     */
    NatsConnectionConfig config() {
        String urls = server != null ? server : env.get("NATS_URL");
        String pass = password != null ? password : user != null ? env.get("NATS_PASSWORD") : null;
        if (user != null && (pass == null || pass.isEmpty())) {
            throw usage("--user needs a password: give --password or set NATS_PASSWORD");
        }
        if (user == null && password != null) {
            throw usage("--password needs --user");
        }
        boolean otherAuth = user != null || nkeySeedFile != null || credsFile != null;
        String tok = token != null ? token : otherAuth ? null : env.get("NATS_TOKEN");
        requireFile("--nkey", nkeySeedFile);
        requireFile("--creds", credsFile);
        requireFile("--tls-ca", tlsCa);
        requireFile("--tls-cert", tlsCert);
        requireFile("--tls-key", tlsKey);
        try {
            TlsConfig tls = new TlsConfig(false, tlsCa, tlsCert, tlsKey, null, null, null, null, tlsFirst);
            return new NatsConnectionConfig(NatsConnectionConfig.splitUrls(urls), user, Secret.ofNullable(pass),
                    Secret.ofNullable(tok), nkeySeedFile, credsFile, tls, connectTimeout);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Connects, reporting failures as one line: {@code cannot connect to NATS at <urls>: <reason>}. The
     * connection reconnects forever once established; the caller closes it.
     */
    Connection connect(String connectionName) {
        NatsConnectionConfig config = config();
        String where = String.join(",", config.servers());
        ConnectEvents events = new ConnectEvents(config.connectTimeout());
        try {
            Connection connection = config.connect(connectionName, events);
            events.connected = true;
            return connection;
        } catch (IOException | RuntimeException e) {
            throw CliException.runtime("cannot connect to NATS at " + where + ": " + events.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.runtime("interrupted while connecting to NATS at " + where, e);
        }
    }

    private static void requireFile(String option, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw usage(option + " " + file + ": no such readable file");
        }
    }

    private static CliException usage(String message) {
        return new CliException(message, CliException.USAGE);
    }

    /** Quiet while connecting (the failure is reported once, by {@link #connect}); afterwards the default. */
    private static final class ConnectEvents extends ConnectionEvents {
        private final Duration timeout;
        volatile boolean connected;
        private volatile String lastProblem;
        private volatile String serverError;

        ConnectEvents(Duration timeout) {
            this.timeout = timeout;
        }

        /** What the server said (authorization, TLS required...), else the last client-side problem. */
        String reason(Exception failure) {
            String said = serverError;
            if (said != null) {
                return said;
            }
            String problem = lastProblem;
            if (problem != null) {
                return problem;
            }
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return describe(root);
        }

        @Override
        public void connectionEvent(Connection conn, Events type) {
            if (connected) {
                super.connectionEvent(conn, type);
            }
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            if (connected) {
                super.errorOccurred(conn, error);
            } else if (serverError == null) {
                serverError = error;
            }
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            if (connected) {
                super.exceptionOccurred(conn, exp);
            } else {
                lastProblem = describe(exp);
            }
        }

        private String describe(Throwable t) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                long ms = timeout.toMillis();
                return "no answer within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
            }
            String message = t.getMessage();
            return message == null || message.isBlank() ? t.getClass().getSimpleName()
                    : message.replace('\n', ' ');
        }
    }

    /** Reads {@code 5s}, {@code 500ms}, {@code 1m} or a number of seconds. */
    static final class TimeoutConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 5s or 500ms");
            }
            long amount = Long.parseLong(m.group(1));
            Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(amount)
                    : "m".equals(m.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
            if (d.isZero()) {
                throw new TypeConversionException("the connect timeout must be positive");
            }
            return d;
        }
    }

    /** For tests: the given environment instead of the process's. */
    NatsOptions withEnv(Map<String, String> environment) {
        this.env = Map.copyOf(environment);
        return this;
    }
}
