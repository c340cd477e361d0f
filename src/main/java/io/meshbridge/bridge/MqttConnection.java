package io.meshbridge.bridge;

import io.meshbridge.events.Secret;
import io.meshbridge.events.TlsConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/**
 * How a bridge reaches an MQTT broker: the broker URL ({@code tcp://host:1883}, {@code ssl://host:8883}),
 * an optional user name and password, TLS (a PEM CA, an optional client certificate and key, from
 * {@link TlsConfig}), the client id, and timeouts. MQTT 5 only.
 *
 * <p>The URL must not carry credentials (they would end up in logs): one with user information is refused,
 * pointing at {@code user}/{@code password}. {@link #toString()} shows neither the password nor the key.
 *
 * @param brokerUrl      {@code tcp://} or {@code ssl://} (TLS, also with {@code tls} set); {@code ws://},
 *                       {@code wss://} work as paho allows them
 * @param user           the user name, or {@code null}
 * @param password       the password, or {@code null}
 * @param tls            TLS settings, or {@link TlsConfig#NONE}
 * @param clientId       the MQTT client id (1 to 65535 UTF-8 bytes; brokers often allow 23 characters only)
 * @param connectTimeout time allowed for a connection attempt
 * @param keepAlive      the MQTT keep-alive interval
 */
public record MqttConnection(String brokerUrl, String user, Secret password, TlsConfig tls, String clientId,
                             Duration connectTimeout, Duration keepAlive) {

    /** Longest pause between two reconnection attempts of a {@link MqttLink}. */
    public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    /** Checks every member. */
    public MqttConnection {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("brokerUrl is required (tcp://host:1883 or ssl://host:8883)");
        }
        brokerUrl = brokerUrl.trim();
        URI uri;
        try {
            uri = URI.create(brokerUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("brokerUrl is not a URL");
        }
        if (brokerUrl.indexOf('@') >= 0) {
            throw new IllegalArgumentException("brokerUrl " + uri.getScheme() + "://…@" + brokerUrl.substring(
                    brokerUrl.lastIndexOf('@') + 1) + " carries credentials; give user and password separately so"
                    + " they stay out of logs");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("tcp") && !scheme.equals("ssl") && !scheme.equals("ws") && !scheme.equals("wss")
                || uri.getHost() == null) {
            throw new IllegalArgumentException("brokerUrl must be tcp://host:port or ssl://host:port, was " + brokerUrl);
        }
        if (password != null && (user == null || user.isEmpty())) {
            throw new IllegalArgumentException("an MQTT password needs a user");
        }
        tls = tls == null ? TlsConfig.NONE : tls;
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty() || clientId.length() > 256) {
            throw new IllegalArgumentException("clientId must be 1 to 256 characters");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (connectTimeout.toSeconds() < 1 || keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65535) {
            throw new IllegalArgumentException("connectTimeout and keepAlive must be whole seconds, keepAlive 1s to 65535s");
        }
    }

    /** Whether the connection uses TLS. */
    public boolean usesTls() {
        return tls.enabled() || brokerUrl.startsWith("ssl://") || brokerUrl.startsWith("wss://");
    }

    /** The socket factory for TLS, or {@code null} for the client's default. */
    public SocketFactory socketFactory() throws IOException {
        return tls.enabled() ? tls.createContext().getSocketFactory() : null;
    }

    /**
     * Paho's connection options: these credentials and TLS, and the session as given; no automatic reconnection
     * (a {@link MqttLink} reconnects with a new client).
     *
     * @param cleanStart     MQTT 5 clean start
     * @param sessionExpiry  how long the broker keeps the session after a disconnect (zero: not at all)
     * @param receiveMaximum most QoS 1 messages the broker may send unacknowledged, or {@code null}
     */
    public MqttConnectionOptions options(boolean cleanStart, Duration sessionExpiry, Integer receiveMaximum)
            throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (user != null && !user.isEmpty()) {
            o.setUserName(user);
            if (password != null) {
                o.setPassword(password.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        SocketFactory factory = socketFactory();
        if (factory != null) {
            o.setSocketFactory(factory);
        }
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpiry.toSeconds());
        if (receiveMaximum != null) {
            o.setReceiveMaximum(receiveMaximum);
        }
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) connectTimeout.toSeconds());
        o.setKeepAliveInterval((int) keepAlive.toSeconds());
        return o;
    }

    @Override
    public String toString() {
        return "MqttConnection[" + brokerUrl + ", client " + clientId + ", user " + (user == null ? "none" : user)
                + ", password " + (password == null ? "none" : "set") + ", tls " + usesTls() + "]";
    }
}
