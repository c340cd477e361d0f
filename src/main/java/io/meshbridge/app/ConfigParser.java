package io.meshbridge.app;

import static io.meshbridge.app.ConfigKeys.*;

import io.meshbridge.api.ApiConfig;
import io.meshbridge.camel.DeadLetterLimits;
import io.meshbridge.events.NatsConnectionConfig;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.Secret;
import io.meshbridge.events.TlsConfig;
import io.meshbridge.ingest.IngestConfig;
import io.nats.client.api.StorageType;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns layered properties into a {@link WorkerConfig}, checking every value and naming the key of the
 * first invalid one in a {@link ConfigException}. A key missing from the properties takes its default from
 * {@link ConfigKeys#DEFAULTS}; a {@code mesh.*} key the worker does not know is an error (a typo would
 * otherwise be ignored silently).
 */
public final class ConfigParser {

    private static final Set<String> URL_SCHEMES = Set.of("nats", "tls", "ws", "wss");

    private final Map<String, String> values;

    private ConfigParser(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code properties}.
     *
     * @throws ConfigException naming the key of an invalid or unknown value
     */
    public static WorkerConfig parse(Map<String, String> properties) {
        Map<String, String> camel = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("mesh.")) {
                if (!ConfigKeys.known(key)) {
                    throw new ConfigException(key, "unknown key (the keys are documented in"
                            + " config/application.properties)");
                }
            } else {
                HttpServerWiring.checkCamelKey(key, e.getValue());
                camel.put(key, e.getValue());
            }
        }
        return new ConfigParser(properties).build(camel);
    }

    private WorkerConfig build(Map<String, String> camel) {
        NatsConnectionConfig nats = nats();
        WorkerConfig.Embedded embedded = choice(NATS_EMBEDDED, WorkerConfig.Embedded.class);
        String node = text(NODE_NAME);
        if (node.isEmpty()) {
            node = hostName();
        }
        PersistConfig stream = stream();
        Path dataDir = Path.of(required(DATA_DIR));
        String routes = required(ROUTES);
        int httpPort = (int) number(HTTP_PORT, 0, 65_535);
        Duration shutdown = duration(SHUTDOWN_TIMEOUT);
        if (shutdown.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(SHUTDOWN_TIMEOUT, "must be at least 1s, was " + text(SHUTDOWN_TIMEOUT));
        }
        archivePlaceholders(camel);
        IngestConfig ingest = IngestKeys.parse(this::text);
        ObserveConfig observe = ObserveKeys.parse(this::text);
        ApiConfig api = ApiKeys.parse(this::text);
        return new WorkerConfig(nats, embedded, node, stream, dataDir, routes, httpPort, shutdown, camel, ingest,
                observe, api, http(), deadLetters());
    }

    /** {@code mesh.http.host} and {@code mesh.http.tls.*}. */
    private WorkerConfig.HttpServer http() {
        String host = required(HTTP_HOST);
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            throw new ConfigException(HTTP_HOST, "must be an address or host name such as 0.0.0.0 or 127.0.0.1,"
                    + " was '" + host + "'");
        }
        Path cert = file(HTTP_TLS_CERT);
        Path key = file(HTTP_TLS_KEY);
        if ((cert == null) != (key == null)) {
            throw new ConfigException(cert == null ? HTTP_TLS_CERT : HTTP_TLS_KEY, "required with "
                    + (cert == null ? HTTP_TLS_KEY : HTTP_TLS_CERT));
        }
        return new WorkerConfig.HttpServer(host, cert, key);
    }

    /** {@code mesh.dlq.*}. */
    private DeadLetterLimits deadLetters() {
        Duration maxAge = duration(DLQ_MAX_AGE);
        if (maxAge.compareTo(Duration.ofHours(1)) < 0) {
            throw new ConfigException(DLQ_MAX_AGE, "must be at least 1h, was " + text(DLQ_MAX_AGE));
        }
        long maxBytes = ByteSizes.parse(DLQ_MAX_BYTES, required(DLQ_MAX_BYTES), 1L << 20, 1L << 50);
        return new DeadLetterLimits(maxAge, maxBytes);
    }

    /** The archive keys, checked here and handed to the routes as {@code {{mesh.archive.*}}} placeholders. */
    private void archivePlaceholders(Map<String, String> camel) {
        String workerId = text(ARCHIVE_WORKER_ID);
        if (!workerId.isEmpty() && !workerId.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")) {
            throw new ConfigException(ARCHIVE_WORKER_ID, "must be 1 to 64 characters A-Z a-z 0-9 . _ -, not"
                    + " starting with '.' or '-', was '" + workerId + "'");
        }
        camel.put(ARCHIVE_DIR, required(ARCHIVE_DIR));
        camel.put(ARCHIVE_WORKER_ID, workerId);
    }

    private NatsConnectionConfig nats() {
        String urls = required(NATS_URL);
        List<String> servers = new ArrayList<>();
        for (String url : urls.split(",")) {
            String u = url.trim();
            if (u.isEmpty()) {
                throw new ConfigException(NATS_URL, "empty URL in '" + urls + "'");
            }
            checkUrl(u);
            servers.add(u);
        }
        String user = text(NATS_USER);
        String password = text(NATS_PASSWORD);
        if (!user.isEmpty() && password.isEmpty()) {
            throw new ConfigException(NATS_PASSWORD, "required with " + NATS_USER);
        }
        if (user.isEmpty() && !password.isEmpty()) {
            throw new ConfigException(NATS_USER, "required with " + NATS_PASSWORD);
        }
        String chosen = null;
        for (String key : List.of(NATS_USER, NATS_TOKEN, NATS_NKEY_FILE, NATS_CREDS_FILE)) {
            if (!text(key).isEmpty()) {
                if (chosen != null) {
                    throw new ConfigException(key, "give only one way of authenticating; " + chosen
                            + " is set too");
                }
                chosen = key;
            }
        }
        Path nkey = file(NATS_NKEY_FILE);
        Path creds = file(NATS_CREDS_FILE);
        Path ca = file(NATS_TLS_CA);
        Path cert = file(NATS_TLS_CERT);
        Path key = file(NATS_TLS_KEY);
        if ((cert == null) != (key == null)) {
            throw new ConfigException(cert == null ? NATS_TLS_CERT : NATS_TLS_KEY, "required with "
                    + (cert == null ? NATS_TLS_KEY : NATS_TLS_CERT));
        }
        boolean first = bool(NATS_TLS_FIRST);
        TlsConfig tls = ca == null && cert == null && !first ? TlsConfig.NONE
                : new TlsConfig(true, ca, cert, key, null, null, null, null, first);
        Duration connectTimeout = duration(NATS_CONNECT_TIMEOUT);
        if (connectTimeout.isZero()) {
            throw new ConfigException(NATS_CONNECT_TIMEOUT, "must be positive");
        }
        try {
            return new NatsConnectionConfig(servers, user.isEmpty() ? null : user, Secret.ofNullable(password),
                    Secret.ofNullable(text(NATS_TOKEN)), nkey, creds, tls, connectTimeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mesh.nats", e.getMessage(), e);
        }
    }

    private static void checkUrl(String url) {
        String full = url.contains("://") ? url : "nats://" + url;
        URI uri;
        try {
            uri = new URI(full);
        } catch (URISyntaxException e) {
            throw new ConfigException(NATS_URL, "malformed URL '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!URL_SCHEMES.contains(scheme)) {
            throw new ConfigException(NATS_URL, "malformed URL '" + url + "': the scheme must be one of "
                    + URL_SCHEMES.stream().sorted().toList());
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(NATS_URL, "URL " + scheme + "://…@" + uri.getHost()
                    + " carries credentials; set " + NATS_USER + "/" + NATS_PASSWORD + " or " + NATS_TOKEN
                    + " so that they stay out of logs");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigException(NATS_URL, "malformed URL '" + url + "': no host (expected e.g."
                    + " nats://host:4222)");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
            throw new ConfigException(NATS_URL, "malformed URL '" + url + "': expected scheme://host:port");
        }
    }

    private PersistConfig stream() {
        String name = required(STREAM_NAME);
        if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new ConfigException(STREAM_NAME, "must be 1 to 255 letters, digits, '_' or '-', was '"
                    + name + "'");
        }
        Duration maxAge = duration(STREAM_MAX_AGE);
        long maxMsgs = number(STREAM_MAX_MSGS, 0, Long.MAX_VALUE);
        StorageType storage = switch (text(STREAM_STORAGE).toLowerCase(Locale.ROOT)) {
            case "file" -> StorageType.File;
            case "memory" -> StorageType.Memory;
            default -> throw new ConfigException(STREAM_STORAGE, "must be one of [file, memory], was '"
                    + text(STREAM_STORAGE) + "'");
        };
        int replicas = (int) number(STREAM_REPLICAS, 1, 5);
        Duration window = duration(STREAM_DUPLICATE_WINDOW);
        if (window.isZero()) {
            throw new ConfigException(STREAM_DUPLICATE_WINDOW, "must be positive: retried emits rely on it");
        }
        if (!maxAge.isZero() && window.compareTo(maxAge) > 0) {
            throw new ConfigException(STREAM_DUPLICATE_WINDOW, "must not exceed " + STREAM_MAX_AGE + " ("
                    + text(STREAM_MAX_AGE) + "), was " + text(STREAM_DUPLICATE_WINDOW));
        }
        boolean update = bool(STREAM_UPDATE_EXISTING);
        PersistConfig defaults = PersistConfig.defaults();
        try {
            return new PersistConfig(name, maxAge, maxMsgs, storage, replicas, window, update,
                    defaults.emitTimeout(), defaults.maxInFlight());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mesh.stream", e.getMessage(), e);
        }
    }

    // ---- values ----------------------------------------------------------------------------------------

    private String text(String key) {
        String v = values.get(key);
        String value = v == null ? DEFAULTS.get(key) : v.trim();
        if (FROM_FILE.contains(key)) {
            String fileKey = key + "-file";
            String file = values.getOrDefault(fileKey, "").trim();
            if (!file.isEmpty()) {
                if (!value.isEmpty()) {
                    throw new ConfigException(fileKey, "give only one of " + key + " and " + fileKey);
                }
                return SecretFiles.read(fileKey, file).strip();
            }
        }
        return value;
    }

    private String required(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            throw new ConfigException(key, "must not be empty");
        }
        return v;
    }

    private boolean bool(String key) {
        String v = required(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false, was '" + text(key) + "'");
        };
    }

    private long number(String key, long min, long max) {
        String v = required(key);
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "not a whole number: '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, max == Long.MAX_VALUE ? "must be " + min + " or more, was " + n
                    : "must be " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    private Duration duration(String key) {
        return parsed(key, Durations::parse);
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type) {
        String v = required(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new ConfigException(key, "must be one of " + names + ", was '" + v + "'");
    }

    private Path file(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(key, "no such file: " + v);
        }
        return p;
    }

    private <T> T parsed(String key, Function<String, T> parser) {
        String v = required(key);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "mesh-bridge";
        }
    }
}
