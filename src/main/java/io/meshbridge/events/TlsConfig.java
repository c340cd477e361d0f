package io.meshbridge.events;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;

/**
 * TLS settings of a NATS connection. Every member is optional; an instance with {@link #enabled()} true
 * makes the connection use TLS.
 *
 * <ul>
 *   <li>{@code caFile}: PEM file of the certificate authorities to trust (the {@code ca_file} of the server's
 *   configuration); without it, the JVM's default trust store is used.</li>
 *   <li>{@code certFile} and {@code keyFile}: the client certificate (PEM) and its unencrypted PKCS#8 key
 *   (PEM) for mutual TLS.</li>
 *   <li>{@code keystore} / {@code truststore} with their passwords: PKCS#12 or JKS stores, as an alternative
 *   to PEM files.</li>
 *   <li>{@code handshakeFirst}: TLS before the server's INFO (nats-server 2.10.4+ {@code handshake_first}).</li>
 * </ul>
 */
public record TlsConfig(boolean enabled, Path caFile, Path certFile, Path keyFile, Path keystore,
                        Secret keystorePassword, Path truststore, Secret truststorePassword,
                        boolean handshakeFirst) {

    /** No TLS. */
    public static final TlsConfig NONE = new TlsConfig(false, null, null, null, null, null, null, null, false);

    /** Checks that the members belong together. */
    public TlsConfig {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("TLS certFile and keyFile must be given together");
        }
        if (certFile != null && keystore != null) {
            throw new IllegalArgumentException("TLS client identity: give either certFile/keyFile or keystore");
        }
        if (caFile != null && truststore != null) {
            throw new IllegalArgumentException("TLS trust: give either caFile or truststore");
        }
        if (!enabled && (caFile != null || certFile != null || keystore != null || truststore != null
                || handshakeFirst)) {
            enabled = true;
        }
    }

    /**
     * A new {@link SSLContext} of these settings, for a TLS client other than the NATS connection (such as an
     * HTTP client): the client identity from {@code certFile}/{@code keyFile} or {@code keystore}, the trust from
     * {@code caFile} or {@code truststore} (else the JVM's default trust store). {@code enabled} and
     * {@code handshakeFirst} play no part. Reads the files on each call.
     *
     * @throws IOException when a file cannot be read or holds no usable certificate or key; the message names
     *                     the file, never a password
     */
    public SSLContext createContext() throws IOException {
        return TlsContexts.create(this);
    }

    /**
     * The identity of {@link #certFile()} and {@link #keyFile()} as an in-memory key store whose key has the
     * empty password, for a server that takes a {@link KeyStore} (the worker's HTTPS).
     *
     * @throws IOException when the files cannot be read or hold no usable certificate or key; the message names
     *                     the file
     */
    public KeyStore identityKeyStore() throws IOException {
        if (certFile == null) {
            throw new IllegalStateException("no certificate file");
        }
        return TlsContexts.identity(certFile, keyFile);
    }
}
