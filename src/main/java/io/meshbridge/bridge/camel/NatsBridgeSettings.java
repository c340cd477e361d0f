package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.NatsPublisher;
import io.meshbridge.bridge.SubjectMapping;
import io.meshbridge.events.NatsConnectionConfig;
import java.time.Duration;

/**
 * The settings of one {@code mesh-to-nats} route, as a bean with setters: the route template fills one from
 * its parameters, so that no secret appears in an endpoint URI. Values are kept as given and checked by
 * {@link #validated()}, which names the parameter at fault. {@link #toString()} never shows a secret. Not
 * thread-safe: configured once, then read.
 */
public class NatsBridgeSettings extends BrokerAccess {

    private String servers;
    private String token = "";
    private String nkeyFile = "";
    private String credsFile = "";
    private String tlsFirst = "false";
    private String connectTimeout = "5s";
    private String subjectPrefix;
    private String mode = "jetstream";
    private String ackTimeout = "10s";
    private String meshId = "";
    private String forwardBridged = "false";

    /**
     * The checked options.
     *
     * @param connection     the remote NATS
     * @param subjectPrefix  what replaces {@code events.} in the subject
     * @param mode           how a publish is confirmed
     * @param ackTimeout     how long a confirmation may take
     * @param meshId         this mesh's id, {@code null} to derive it from the stream
     * @param forwardBridged whether events from other meshes are forwarded too
     */
    public record Options(NatsConnectionConfig connection, String subjectPrefix, NatsPublisher.Mode mode,
                          Duration ackTimeout, String meshId, boolean forwardBridged) {
    }

    /** Settings with the defaults; {@code servers} and {@code subjectPrefix} must be set. */
    public NatsBridgeSettings() {
    }

    /**
     * The settings checked and parsed.
     *
     * @throws IllegalArgumentException naming the parameter at fault (never showing a secret)
     */
    public Options validated() {
        if (Params.text(servers) == null) {
            throw new IllegalArgumentException("bridge parameter servers is required (nats://host:4222, comma-separated)");
        }
        NatsConnectionConfig connection;
        try {
            connection = new NatsConnectionConfig(NatsConnectionConfig.splitUrls(servers), Params.text(user),
                    Params.secret(password), Params.secret(token), Params.path(nkeyFile), Params.path(credsFile),
                    Params.tls(tlsCa, tlsCert, tlsKey, Params.bool("tlsFirst", tlsFirst)),
                    Params.duration("connectTimeout", connectTimeout, Duration.ofMillis(100)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bridge parameters of the remote NATS: " + e.getMessage(), e);
        }
        String id = Params.meshId(meshId);
        return new Options(connection, SubjectMapping.requireNatsPrefix("bridge parameter subjectPrefix",
                subjectPrefix == null ? null : subjectPrefix.trim()), NatsPublisher.Mode.parse("bridge parameter mode",
                mode), Params.duration("ackTimeout", ackTimeout, Duration.ofMillis(100)), id,
                Params.bool("forwardBridged", forwardBridged));
    }

    @Override
    public String toString() {
        return "NatsBridgeSettings[servers " + servers + ", mode " + mode + ", prefix " + subjectPrefix + ", auth "
                + (Params.text(user) != null ? "user " + user : Params.text(token) != null ? "token"
                : Params.text(nkeyFile) != null ? "nkey" : Params.text(credsFile) != null ? "creds" : "none") + "]";
    }

    public String getServers() {
        return servers;
    }

    public void setServers(String servers) {
        this.servers = servers;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getNkeyFile() {
        return nkeyFile;
    }

    public void setNkeyFile(String nkeyFile) {
        this.nkeyFile = nkeyFile;
    }

    public String getCredsFile() {
        return credsFile;
    }

    public void setCredsFile(String credsFile) {
        this.credsFile = credsFile;
    }

    public String getTlsFirst() {
        return tlsFirst;
    }

    public void setTlsFirst(String tlsFirst) {
        this.tlsFirst = tlsFirst;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getSubjectPrefix() {
        return subjectPrefix;
    }

    public void setSubjectPrefix(String subjectPrefix) {
        this.subjectPrefix = subjectPrefix;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getAckTimeout() {
        return ackTimeout;
    }

    public void setAckTimeout(String ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public String getMeshId() {
        return meshId;
    }

    public void setMeshId(String meshId) {
        this.meshId = meshId;
    }

    public String getForwardBridged() {
        return forwardBridged;
    }

    public void setForwardBridged(String forwardBridged) {
        this.forwardBridged = forwardBridged;
    }
}
