package io.meshbridge.bridge;

import io.meshbridge.events.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * How a bridge reaches a Kafka cluster: the bootstrap servers ({@code host:port}, several comma-separated),
 * SASL ({@link Sasl#PLAIN}, {@link Sasl#SCRAM_SHA_256}, {@link Sasl#SCRAM_SHA_512}) with a user and password,
 * TLS (a PEM CA file, else the JVM's trust store; an optional PEM client certificate and unencrypted PKCS#8 key
 * for mutual TLS), the client id and the connect timeout. The security protocol follows:
 * {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}.
 *
 * <p>Secrets stay secrets: {@link #clientProperties()} hands the password (inside {@code sasl.jaas.config})
 * and the client key to the Kafka client as its {@link Password} type, which it never prints (its own
 * configuration log shows {@code [hidden]}); {@link #toString()} shows neither. A server list carrying
 * credentials ({@code user:pw@host}) is refused, pointing at {@code user}/{@code password}.
 *
 * @param servers        the bootstrap servers, {@code host:port} each
 * @param sasl           the SASL mechanism, {@link Sasl#NONE} for none
 * @param user           the SASL user, or {@code null}
 * @param password       the SASL password, or {@code null}
 * @param tls            whether to use TLS
 * @param caFile         PEM certificates to trust, or {@code null} for the JVM's trust store
 * @param certFile       PEM client certificate (mutual TLS), or {@code null}
 * @param keyFile        PEM unencrypted PKCS#8 key of {@code certFile}, or {@code null}
 * @param clientId       the Kafka client id
 * @param connectTimeout how long start-up checks and a blocked send may wait for the cluster
 */
public record KafkaConnection(List<String> servers, Sasl sasl, String user, Secret password, boolean tls,
                              Path caFile, Path certFile, Path keyFile, String clientId, Duration connectTimeout) {

    /** The SASL mechanisms the bridges support. */
    public enum Sasl {
        /** No SASL. */
        NONE(null, null),
        /** SASL/PLAIN. */
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        /** SASL/SCRAM with SHA-256. */
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        /** SASL/SCRAM with SHA-512. */
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String mechanism;
        private final String loginModule;

        Sasl(String mechanism, String loginModule) {
            this.mechanism = mechanism;
            this.loginModule = loginModule;
        }

        /** The mechanism's Kafka name ({@code PLAIN}, {@code SCRAM-SHA-256}, ...), {@code null} for none. */
        public String mechanism() {
            return mechanism;
        }

        /** {@code none}, {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (any case), naming the parameter. */
        public static Sasl parse(String parameter, String value) {
            String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
            if (v.isEmpty() || v.equals("NONE")) {
                return NONE;
            }
            for (Sasl s : values()) {
                if (v.equals(s.mechanism)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(parameter + " must be none, PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was '"
                    + value + "'");
        }
    }

    /** Checks every member. */
    public KafkaConnection {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("brokers is required (host:9092, comma-separated)");
        }
        servers = List.copyOf(servers);
        for (String s : servers) {
            if (s.indexOf('@') >= 0) {
                throw new IllegalArgumentException("brokers '…@" + s.substring(s.lastIndexOf('@') + 1) + "' carries"
                        + " credentials; give user and password separately so they stay out of logs");
            }
            int colon = s.lastIndexOf(':');
            if (s.isBlank() || s.contains("://") || colon <= 0 || colon == s.length() - 1
                    || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("brokers must be host:port, comma-separated, was '" + s + "'");
            }
        }
        Objects.requireNonNull(sasl, "sasl");
        if (sasl != Sasl.NONE && (user == null || user.isEmpty() || password == null)) {
            throw new IllegalArgumentException("SASL " + sasl.mechanism + " needs a user and a password");
        }
        if (sasl == Sasl.NONE && (password != null || user != null && !user.isEmpty())) {
            throw new IllegalArgumentException("a Kafka user and password need a SASL mechanism (sasl: PLAIN,"
                    + " SCRAM-SHA-256 or SCRAM-SHA-512)");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("tlsCert and tlsKey go together (mutual TLS)");
        }
        if (caFile != null || certFile != null) {
            tls = true;
        }
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("connectTimeout must be at least 100 ms");
        }
    }

    /** {@code host:port,host:port} as one list, naming the parameter when it is empty. */
    public static List<String> splitServers(String servers) {
        List<String> out = new ArrayList<>();
        if (servers != null) {
            for (String s : servers.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}. */
    public String securityProtocol() {
        return (sasl == Sasl.NONE ? "" : "SASL_") + (tls ? "SSL" : "PLAINTEXT");
    }

    /**
     * The client properties shared by producers and consumers: servers, client id, security protocol, SASL and
     * TLS. Secrets are {@link Password} values. Reads the client certificate and key files.
     *
     * @throws IOException when a certificate or key file cannot be read (the message names the file)
     */
    public Map<String, Object> clientProperties() throws IOException {
        Map<String, Object> p = new TreeMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", servers));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol());
        if (sasl != Sasl.NONE) {
            p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaasConfig(sasl, user, password)));
        }
        if (tls) {
            if (caFile != null) {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, new Password(read(caFile, "tlsCa")));
            }
            if (certFile != null) {
                p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, new Password(read(certFile, "tlsCert")));
                p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, new Password(read(keyFile, "tlsKey")));
            }
        }
        return p;
    }

    /** The JAAS line of {@code sasl} for {@code user} and {@code password}, the values quoted and escaped. */
    static String jaasConfig(Sasl sasl, String user, Secret password) {
        return sasl.loginModule + " required username=\"" + escape(user) + "\" password=\""
                + escape(password.value()) + "\";";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String read(Path file, String parameter) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException(parameter + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Kafka " + String.join(",", servers) + " (" + securityProtocol()
                + (sasl == Sasl.NONE ? "" : " " + sasl.mechanism + " user " + user) + ", client " + clientId + ")";
    }
}
