package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.InboundPayloads;
import io.meshbridge.bridge.MqttConnection;
import io.meshbridge.bridge.SubjectMapping;
import io.meshbridge.bridge.TopicMapping;
import io.meshbridge.events.EventCodec;
import io.meshbridge.ingest.IngestConfig;
import io.meshbridge.ingest.TopicRules;
import java.time.Duration;

/**
 * The settings of one {@code mesh-to-mqtt} or {@code mqtt-to-mesh} route, as a bean with setters: the route
 * templates fill one from their parameters, so that no secret appears in an endpoint URI. Values are kept as
 * given and checked by {@link #connection}, {@link #outbound()} and {@link #inbound()}, which name the
 * parameter at fault. {@link #toString()} never shows the password. Not thread-safe: configured once, then
 * read.
 */
public class MqttBridgeSettings extends BrokerAccess {

    private String brokerUrl;
    private String clientId = "";
    private String connectTimeout = "10s";
    private String keepAlive = "30s";
    private String topicPrefix;
    private String maxInFlight = "100";
    private String sendTimeout = "30s";
    private String topicFilter;
    private String meshTopic = "{topic}";
    private String nonJson = "wrap";
    private String maxBody = Integer.toString(IngestConfig.DEFAULT_MAX_BODY);
    private String maxDepth = "32";
    private String sessionExpiry = "7d";
    private String receiveMaximum = "100";
    private String node = "";
    private String meshId = "";
    private String forwardBridged = "false";

    /**
     * The checked options of {@code mesh-to-mqtt}.
     *
     * @param topicPrefix    the MQTT topic prefix
     * @param maxInFlight    most publishes awaiting their PUBACK
     * @param sendTimeout    how long a PUBACK may take
     * @param meshId         this mesh's id, {@code null} to derive it from the stream
     * @param forwardBridged whether events from other meshes are forwarded too
     */
    public record Outbound(String topicPrefix, int maxInFlight, Duration sendTimeout, String meshId,
                           boolean forwardBridged) {
    }

    /**
     * The checked options of {@code mqtt-to-mesh}.
     *
     * @param mapping        broker topic to mesh topic
     * @param payloads       the payload rules and limits
     * @param sessionExpiry  how long the broker keeps the session while the route is down
     * @param receiveMaximum most messages the broker sends before this route acknowledged them
     * @param node           the node of emitted events, {@code null} for the worker's
     * @param meshId         this mesh's id, {@code null} to derive it from the stream
     */
    public record Inbound(TopicMapping mapping, InboundPayloads payloads, Duration sessionExpiry,
                          int receiveMaximum, String node, String meshId) {
    }

    /** Settings with the defaults. */
    public MqttBridgeSettings() {
    }

    /**
     * The broker connection, with {@code defaultClientId} when no clientId is set.
     *
     * @throws IllegalArgumentException naming the parameter at fault
     */
    public MqttConnection connection(String defaultClientId) {
        String id = Params.text(clientId);
        try {
            return new MqttConnection(brokerUrl, Params.text(user), Params.secret(password),
                    Params.tls(tlsCa, tlsCert, tlsKey, false), id != null ? id : defaultClientId,
                    Params.duration("connectTimeout", connectTimeout, Duration.ofSeconds(1)),
                    Params.duration("keepAlive", keepAlive, Duration.ofSeconds(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bridge parameters of the MQTT broker: " + e.getMessage(), e);
        }
    }

    /** The options of {@code mesh-to-mqtt}. */
    public Outbound outbound() {
        return new Outbound(SubjectMapping.requireMqttPrefix("bridge parameter topicPrefix", topicPrefix),
                Params.integer("maxInFlight", maxInFlight, 1, 65535),
                Params.duration("sendTimeout", sendTimeout, Duration.ofMillis(100)), Params.meshId(meshId),
                Params.bool("forwardBridged", forwardBridged));
    }

    /** The options of {@code mqtt-to-mesh}. */
    public Inbound inbound() {
        if (Params.text(topicFilter) == null) {
            throw new IllegalArgumentException("bridge parameter topicFilter is required (e.g. sensors/#)");
        }
        TopicMapping mapping;
        try {
            mapping = new TopicMapping(topicFilter.trim(), meshTopic == null ? null : meshTopic.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bridge parameter " + e.getMessage(), e);
        }
        String nodeName = Params.text(node);
        if (nodeName != null && TopicRules.nodeProblem(nodeName) != null) {
            throw new IllegalArgumentException("bridge parameter node: " + TopicRules.nodeProblem(nodeName));
        }
        InboundPayloads payloads = new InboundPayloads(
                Params.integer("maxBody", maxBody, 2, EventCodec.DEFAULT_MAX_PAYLOAD * 64),
                Params.integer("maxDepth", maxDepth, 1, EventCodec.MAX_DEPTH - 1),
                InboundPayloads.NonJson.parse("bridge parameter nonJson", nonJson));
        return new Inbound(mapping, payloads, Params.duration("sessionExpiry", sessionExpiry, Duration.ofSeconds(1)),
                Params.integer("receiveMaximum", receiveMaximum, 1, 65535), nodeName, Params.meshId(meshId));
    }

    @Override
    public String toString() {
        return "MqttBridgeSettings[" + brokerUrl + ", " + describeAccess() + "]";
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(String keepAlive) {
        this.keepAlive = keepAlive;
    }

    public String getTopicPrefix() {
        return topicPrefix;
    }

    public void setTopicPrefix(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public String getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(String maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public String getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(String sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public String getTopicFilter() {
        return topicFilter;
    }

    public void setTopicFilter(String topicFilter) {
        this.topicFilter = topicFilter;
    }

    public String getMeshTopic() {
        return meshTopic;
    }

    public void setMeshTopic(String meshTopic) {
        this.meshTopic = meshTopic;
    }

    public String getNonJson() {
        return nonJson;
    }

    public void setNonJson(String nonJson) {
        this.nonJson = nonJson;
    }

    public String getMaxBody() {
        return maxBody;
    }

    public void setMaxBody(String maxBody) {
        this.maxBody = maxBody;
    }

    public String getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(String maxDepth) {
        this.maxDepth = maxDepth;
    }

    public String getSessionExpiry() {
        return sessionExpiry;
    }

    public void setSessionExpiry(String sessionExpiry) {
        this.sessionExpiry = sessionExpiry;
    }

    public String getReceiveMaximum() {
        return receiveMaximum;
    }

    public void setReceiveMaximum(String receiveMaximum) {
        this.receiveMaximum = receiveMaximum;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
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
