package io.meshbridge.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mesh.*} keys of the worker's configuration with their defaults (the values documented in
 * {@code config/application.properties}; an empty default means "not set").
 */
final class ConfigKeys {

    static final String NATS_URL = "mesh.nats.url";
    static final String NATS_USER = "mesh.nats.user";
    static final String NATS_PASSWORD = "mesh.nats.password";
    static final String NATS_TOKEN = "mesh.nats.token";
    static final String NATS_PASSWORD_FILE = "mesh.nats.password-file";
    static final String NATS_TOKEN_FILE = "mesh.nats.token-file";
    static final String NATS_NKEY_FILE = "mesh.nats.nkey-file";
    static final String NATS_CREDS_FILE = "mesh.nats.creds-file";
    static final String NATS_TLS_CA = "mesh.nats.tls.ca";
    static final String NATS_TLS_CERT = "mesh.nats.tls.cert";
    static final String NATS_TLS_KEY = "mesh.nats.tls.key";
    static final String NATS_TLS_FIRST = "mesh.nats.tls.first";
    static final String NATS_CONNECT_TIMEOUT = "mesh.nats.connect-timeout";
    static final String NATS_EMBEDDED = "mesh.nats.embedded";
    static final String NODE_NAME = "mesh.node.name";
    static final String STREAM_NAME = "mesh.stream.name";
    static final String STREAM_MAX_AGE = "mesh.stream.max-age";
    static final String STREAM_MAX_MSGS = "mesh.stream.max-msgs";
    static final String STREAM_STORAGE = "mesh.stream.storage";
    static final String STREAM_REPLICAS = "mesh.stream.replicas";
    static final String STREAM_DUPLICATE_WINDOW = "mesh.stream.duplicate-window";
    static final String STREAM_UPDATE_EXISTING = "mesh.stream.update-existing";
    static final String DATA_DIR = "mesh.data.dir";
    static final String ROUTES = "mesh.routes";
    static final String HTTP_PORT = "mesh.http.port";
    static final String HTTP_HOST = "mesh.http.host";
    static final String HTTP_TLS_CERT = "mesh.http.tls.cert";
    static final String HTTP_TLS_KEY = "mesh.http.tls.key";
    static final String SHUTDOWN_TIMEOUT = "mesh.shutdown.timeout";
    static final String ARCHIVE_DIR = "mesh.archive.dir";
    static final String ARCHIVE_WORKER_ID = "mesh.archive.worker-id";
    static final String INGEST_AUTH = "mesh.ingest.auth";
    static final String INGEST_TOKENS = "mesh.ingest.tokens";
    static final String INGEST_TOKENS_FILE = "mesh.ingest.tokens-file";
    static final String INGEST_MAX_BODY = "mesh.ingest.max-body";
    static final String INGEST_MAX_DEPTH = "mesh.ingest.max-depth";
    static final String INGEST_ACK_TIMEOUT = "mesh.ingest.ack-timeout";
    static final String INGEST_RETRY_AFTER = "mesh.ingest.retry-after";
    static final String INGEST_MAX_IN_FLIGHT = "mesh.ingest.max-in-flight";
    static final String INGEST_RATE_LIMIT = "mesh.ingest.rate-limit";
    static final String INGEST_SIGNATURE_SECRETS = "mesh.ingest.signature-secrets";
    static final String INGEST_SIGNATURE_SECRETS_FILE = "mesh.ingest.signature-secrets-file";
    static final String API_AUTH = "mesh.api.auth";
    static final String API_TOKENS = "mesh.api.tokens";
    static final String API_TOKENS_FILE = "mesh.api.tokens-file";
    static final String DLQ_MAX_AGE = "mesh.dlq.max-age";
    static final String DLQ_MAX_BYTES = "mesh.dlq.max-bytes";
    static final String HEALTH_STALL_AFTER = "mesh.health.stall-after";
    static final String HEALTH_POLL_INTERVAL = "mesh.health.poll-interval";
    static final String OBSERVE_AUTH = "mesh.observe.auth";
    static final String OBSERVE_TOKEN = "mesh.observe.token";
    static final String OBSERVE_TOKEN_FILE = "mesh.observe.token-file";
    static final String LOG_LEVEL = "mesh.log.level";
    static final String LOG_FORMAT = "mesh.log.format";

    /** Every key with its default, in documentation order. */
    static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(NATS_URL, "nats://127.0.0.1:4222");
        d.put(NATS_USER, "");
        d.put(NATS_PASSWORD, "");
        d.put(NATS_TOKEN, "");
        d.put(NATS_PASSWORD_FILE, "");
        d.put(NATS_TOKEN_FILE, "");
        d.put(NATS_NKEY_FILE, "");
        d.put(NATS_CREDS_FILE, "");
        d.put(NATS_TLS_CA, "");
        d.put(NATS_TLS_CERT, "");
        d.put(NATS_TLS_KEY, "");
        d.put(NATS_TLS_FIRST, "false");
        d.put(NATS_CONNECT_TIMEOUT, "5s");
        d.put(NATS_EMBEDDED, "auto");
        d.put(NODE_NAME, "");
        d.put(STREAM_NAME, "MESH_EVENTS");
        d.put(STREAM_MAX_AGE, "24h");
        d.put(STREAM_MAX_MSGS, "10000");
        d.put(STREAM_STORAGE, "file");
        d.put(STREAM_REPLICAS, "1");
        d.put(STREAM_DUPLICATE_WINDOW, "2m");
        d.put(STREAM_UPDATE_EXISTING, "false");
        d.put(DATA_DIR, "./data");
        d.put(ROUTES, "routes/*.yaml");
        d.put(HTTP_PORT, "8080");
        d.put(HTTP_HOST, "0.0.0.0");
        d.put(HTTP_TLS_CERT, "");
        d.put(HTTP_TLS_KEY, "");
        d.put(SHUTDOWN_TIMEOUT, "30s");
        d.put(ARCHIVE_DIR, "./data/archive");
        d.put(ARCHIVE_WORKER_ID, "");
        d.put(INGEST_AUTH, "token");
        d.put(INGEST_TOKENS, "");
        d.put(INGEST_TOKENS_FILE, "");
        d.put(INGEST_MAX_BODY, "256KiB");
        d.put(INGEST_MAX_DEPTH, "32");
        d.put(INGEST_ACK_TIMEOUT, "3s");
        d.put(INGEST_RETRY_AFTER, "2s");
        d.put(INGEST_MAX_IN_FLIGHT, "1000");
        d.put(INGEST_RATE_LIMIT, "0");
        d.put(INGEST_SIGNATURE_SECRETS, "");
        d.put(INGEST_SIGNATURE_SECRETS_FILE, "");
        d.put(API_AUTH, "token");
        d.put(API_TOKENS, "");
        d.put(API_TOKENS_FILE, "");
        d.put(DLQ_MAX_AGE, "30d");
        d.put(DLQ_MAX_BYTES, "1GiB");
        d.put(HEALTH_STALL_AFTER, "2m");
        d.put(HEALTH_POLL_INTERVAL, "5s");
        d.put(OBSERVE_AUTH, "open");
        d.put(OBSERVE_TOKEN, "");
        d.put(OBSERVE_TOKEN_FILE, "");
        d.put(LOG_LEVEL, "info");
        d.put(LOG_FORMAT, "text");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    /** Keys whose values are secrets: never logged. */
    static final Set<String> SECRETS = Set.of(NATS_PASSWORD, NATS_TOKEN, INGEST_TOKENS, INGEST_SIGNATURE_SECRETS,
            OBSERVE_TOKEN, API_TOKENS);

    /**
     * Secret keys whose value may instead come from the file named by the key with {@code -file} appended (a
     * container secret): its content, trimmed. Giving both is an error. (Token lists have their own
     * {@code tokens-file} keys, whose entries add to the list.)
     */
    static final Set<String> FROM_FILE = Set.of(NATS_PASSWORD, NATS_TOKEN, INGEST_SIGNATURE_SECRETS);

    private ConfigKeys() {
    }

    /** Whether {@code key} is one of the worker's keys. */
    static boolean known(String key) {
        return DEFAULTS.containsKey(key);
    }

    /** The environment variable of {@code key}: {@code mesh.stream.max-msgs} is {@code MESH_STREAM_MAX_MSGS}. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
