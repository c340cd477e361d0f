package io.meshbridge.webhook;

import io.meshbridge.events.TlsConfig;
import io.meshbridge.events.WebhookSecret;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how a webhook delivers: one HTTP endpoint with its headers, timeouts, body form, signing secrets,
 * proxy and TLS. Validated on construction, so a bad configuration fails at start with a message naming the
 * option, and never quoting a credential (user info in the URL or proxy, header values, secrets).
 *
 * <p>{@link #toString()} shows the URL's origin only (a path or query may carry a token, as many webhook URLs
 * do), header names without values, and the number of secrets. Build one with {@link #builder(String)}.
 *
 * @param url            the endpoint: {@code http} or {@code https}, a host, no user info
 * @param headers        extra request headers, in order; none of the reserved ones ({@link #RESERVED_HEADERS},
 *                       or starting with {@code webhook-})
 * @param connectTimeout how long connecting may take (default 5 s)
 * @param readTimeout    how long a whole attempt may take, connection included, until its status (default 15 s)
 * @param contentMode    the body's form (default {@link ContentMode#RAW})
 * @param secrets        the Standard Webhooks secrets to sign with; empty: requests are not signed
 * @param proxy          an HTTP proxy (unresolved {@code host:port}), or {@code null} for a direct connection
 * @param tls            trust (CA file or trust store) and client identity (mTLS) for an {@code https} URL;
 *                       {@link TlsConfig#NONE} for the JVM's defaults
 */
public record WebhookTarget(URI url, Map<String, String> headers, Duration connectTimeout, Duration readTimeout,
                            ContentMode contentMode, List<WebhookSecret> secrets, InetSocketAddress proxy,
                            TlsConfig tls) {

    /** Default of {@link #connectTimeout()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default of {@link #readTimeout()}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Headers an extra header may not set (lower case): the ones the client sets itself or that belong to the
     * connection, not the message. So are all names starting with {@code webhook-}, the signature's.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type",
            "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
            "expect", "http2-settings");

    /** Validates and copies the members. */
    public WebhookTarget {
        url = checkUrl(Objects.requireNonNull(url, "webhook url"));
        headers = ExtraHeaders.check(Objects.requireNonNull(headers, "webhook headers"));
        checkTimeout(connectTimeout, "connect timeout");
        checkTimeout(readTimeout, "read timeout");
        Objects.requireNonNull(contentMode, "webhook content mode");
        secrets = List.copyOf(Objects.requireNonNull(secrets, "webhook secrets"));
        if (proxy != null && !proxy.isUnresolved() && proxy.getPort() == 0) {
            throw new IllegalArgumentException("webhook proxy needs a port");
        }
        tls = tls == null ? TlsConfig.NONE : tls;
        if (tls.handshakeFirst()) {
            throw new IllegalArgumentException("webhook TLS: handshakeFirst is a NATS option, not for HTTP");
        }
        if (tls.enabled() && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("webhook TLS options are set but the webhook url is not https");
        }
    }

    /** A builder for {@code url}, with every other member at its default. */
    public static Builder builder(String url) {
        return new Builder(parseUrl(url));
    }

    /** Whether requests carry a {@code webhook-signature}. */
    public boolean signed() {
        return !secrets.isEmpty();
    }

    /** The URL cut to its origin, {@code https://host:port/…}: safe to log. */
    public String redactedUrl() {
        StringBuilder out = new StringBuilder(url.getScheme()).append("://").append(url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        String path = url.getRawPath();
        boolean more = (path != null && path.length() > 1) || url.getRawQuery() != null;
        return out.append(more ? "/…" : "/").toString();
    }

    @Override
    public String toString() {
        return "WebhookTarget[url=" + redactedUrl() + ", headers=" + headers.keySet() + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", contentMode=" + contentMode.option()
                + ", secrets=" + secrets.size() + ", proxy="
                + (proxy == null ? "none" : proxy.getHostString() + ":" + proxy.getPort())
                + ", tls=" + (tls.enabled() ? "custom" : "default") + "]";
    }

    /**
     * Reads a proxy written {@code host:port} (an IPv6 address in brackets, {@code [::1]:3128}), with or without
     * a leading {@code http://}.
     *
     * @throws IllegalArgumentException when it is not that form; the message does not quote the text, which
     *                                  might hold credentials
     */
    public static InetSocketAddress parseProxy(String text) {
        String t = Objects.requireNonNull(text, "webhook proxy").trim();
        if (t.regionMatches(true, 0, "http://", 0, 7)) {
            t = t.substring(7);
        }
        if (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.contains("@")) {
            throw new IllegalArgumentException("webhook proxy must not contain credentials (user:password@)");
        }
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
            throw new IllegalArgumentException("webhook proxy must be written host:port (port 1..65535)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static URI parseUrl(String text) {
        Objects.requireNonNull(text, "webhook url");
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            // getReason() and the index only: the input may hold credentials
            throw new IllegalArgumentException("webhook url is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
        }
    }

    private static URI checkUrl(URI url) {
        if (url.getRawUserInfo() != null || (url.getRawAuthority() != null && url.getRawAuthority().contains("@"))) {
            throw new IllegalArgumentException("webhook url must not contain user info (user:password@);"
                    + " send credentials in a header such as Authorization");
        }
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("webhook url must be http:// or https://");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("webhook url needs a host name");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("webhook url must not have a fragment (#...): it is never sent");
        }
        if (!scheme.equals(url.getScheme())) {
            try {
                url = new URI(scheme, url.getRawSchemeSpecificPart(), null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("webhook url is not a valid URL: " + e.getReason());
            }
        }
        return url;
    }

    private static void checkTimeout(Duration d, String what) {
        if (Objects.requireNonNull(d, "webhook " + what).isNegative() || d.isZero()) {
            throw new IllegalArgumentException("webhook " + what + " must be positive, was " + d);
        }
    }

    /** Builds a {@link WebhookTarget}; every setter may be left out. Not thread-safe. */
    public static final class Builder {
        private final URI url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private ContentMode contentMode = ContentMode.RAW;
        private List<WebhookSecret> secrets = List.of();
        private InetSocketAddress proxy;
        private TlsConfig tls = TlsConfig.NONE;

        private Builder(URI url) {
            this.url = url;
        }

        /** Adds an extra header (checked by {@link #build()}). */
        public Builder header(String name, String value) {
            if (headers.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("webhook header " + name + " is given twice");
            }
            return this;
        }

        /** Adds extra headers, in the map's order. */
        public Builder headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        /** Sets the connect timeout. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** Sets the read (request) timeout. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        /** Sets the body's form. */
        public Builder contentMode(ContentMode mode) {
            this.contentMode = mode;
            return this;
        }

        /** Sets the signing secrets (empty: unsigned). */
        public Builder secrets(List<WebhookSecret> list) {
            this.secrets = list;
            return this;
        }

        /** Sets the proxy, {@code host:port} as {@link #parseProxy} reads it; {@code null} or blank: none. */
        public Builder proxy(String hostPort) {
            this.proxy = hostPort == null || hostPort.isBlank() ? null : parseProxy(hostPort);
            return this;
        }

        /** Sets the TLS trust and client identity. */
        public Builder tls(TlsConfig config) {
            this.tls = config;
            return this;
        }

        /** The validated target. */
        public WebhookTarget build() {
            return new WebhookTarget(url, headers, connectTimeout, readTimeout, contentMode, secrets, proxy, tls);
        }
    }
}
