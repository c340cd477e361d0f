package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach and authenticate with NATS: server URLs, one way of authenticating (user and password, token,
 * nkey seed file, or credentials file) and TLS.
 *
 * <p>Secrets are {@link Secret}s and never print; URLs must not carry credentials (they would end up in
 * logs), so a URL with user information is refused with a message pointing at the right setting.
 *
 * <p>{@link #connect(String, ConnectionEvents)} opens a connection that reconnects forever, keeps publishing
 * into its reconnect buffer while disconnected and reports connection changes to the given listener.
 *
 * @param servers        one or more {@code nats://} or {@code tls://} URLs
 * @param user           user name, with {@code password}
 * @param password       password, with {@code user}
 * @param token          authentication token
 * @param nkeySeedFile   file holding an nkey seed ({@code SU...}) for nkey authentication
 * @param credsFile      a {@code .creds} file (JWT and nkey seed) for decentralised authentication
 * @param tls            TLS settings, {@link TlsConfig#NONE} for none
 * @param connectTimeout time allowed for the first connection attempt
 */
public record NatsConnectionConfig(List<String> servers, String user, Secret password, Secret token,
                                   Path nkeySeedFile, Path credsFile, TlsConfig tls, Duration connectTimeout) {

    /** The URL used when none is configured. */
    public static final String DEFAULT_URL = "nats://127.0.0.1:4222";

    /** Validates: at least one URL, no credentials in URLs, at most one way of authenticating. */
    public NatsConnectionConfig {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one NATS server URL is required");
        }
        for (String url : servers) {
            requireCleanUrl(url);
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("NATS user and password must be given together");
        }
        int ways = (user != null ? 1 : 0) + (token != null ? 1 : 0) + (nkeySeedFile != null ? 1 : 0)
                + (credsFile != null ? 1 : 0);
        if (ways > 1) {
            throw new IllegalArgumentException(
                    "give only one NATS authentication: user/password, token, nkey seed file or creds file");
        }
        tls = tls == null ? TlsConfig.NONE : tls;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    }

    /** A configuration for the given comma-separated URLs without authentication. */
    public static NatsConnectionConfig of(String urls) {
        return new NatsConnectionConfig(splitUrls(urls), null, null, null, null, null, TlsConfig.NONE, null);
    }

    /** Splits a comma-separated list of URLs. */
    public static List<String> splitUrls(String urls) {
        if (urls == null || urls.isBlank()) {
            return List.of(DEFAULT_URL);
        }
        return java.util.Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Opens a connection named {@code connectionName}.
     *
     * @throws IOException when no server answers within the connect timeout or authentication fails
     */
    public Connection connect(String connectionName, ConnectionEvents events)
            throws IOException, InterruptedException {
        return Nats.connect(options(connectionName, events));
    }

    /** The jnats options for this configuration. */
    public Options options(String connectionName, ConnectionEvents events) throws IOException {
        Options.Builder b = new Options.Builder()
                .servers(servers.toArray(String[]::new))
                .connectionName(connectionName)
                .connectionTimeout(connectTimeout)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .reconnectJitter(Duration.ofMillis(100))
                .reconnectBufferSize(64L * 1024 * 1024)
                .errorListener(events)
                .connectionListener(events);
        if (user != null) {
            b.userInfo(user.toCharArray(), password.chars());
        } else if (token != null) {
            b.token(token.chars());
        } else if (nkeySeedFile != null) {
            b.authHandler(Nats.credentials(null, nkeySeedFile.toString()));
        } else if (credsFile != null) {
            b.authHandler(Nats.credentials(credsFile.toString()));
        }
        if (tls.enabled()) {
            b.sslContext(TlsContexts.create(tls));
            if (tls.handshakeFirst()) {
                b.tlsFirst();
            }
        }
        return b.build();
    }

    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private static void requireCleanUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty NATS server URL");
        }
        // Any '@' is taken as the end of user information: a password may itself hold '/', '?' or '#', so the
        // authority cannot be told apart reliably, and only what follows the last '@' is safe to show.
        int at = url.lastIndexOf('@');
        if (at >= 0) {
            java.util.regex.Matcher scheme = SCHEME.matcher(url);
            String shownScheme = scheme.find() && scheme.end() <= at ? scheme.group() : "";
            throw new IllegalArgumentException("NATS URL " + shownScheme + "…@" + url.substring(at + 1)
                    + " carries credentials; configure user/password or token separately so they stay out of logs");
        }
    }

    @Override
    public String toString() {
        String auth = user != null ? "user " + user : token != null ? "token" : nkeySeedFile != null ? "nkey"
                : credsFile != null ? "creds " + credsFile : "none";
        return "NatsConnectionConfig[servers=" + servers + ", auth=" + auth + ", tls=" + tls.enabled() + "]";
    }
}
