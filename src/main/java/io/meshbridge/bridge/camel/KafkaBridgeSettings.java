package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.InboundPayloads;
import io.meshbridge.bridge.KafkaConnection;
import io.meshbridge.bridge.KafkaPublisher;
import io.meshbridge.bridge.TopicMapping;
import io.meshbridge.events.EventCodec;
import io.meshbridge.ingest.IngestConfig;
import io.meshbridge.ingest.TopicRules;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one {@code mesh-to-kafka} or {@code kafka-to-mesh} route, as a bean with setters: the route
 * templates fill one from their parameters, so that no secret appears in an endpoint URI. Values are kept as
 * given and checked by {@link #connection}, {@link #outbound()} and {@link #inbound()}, which name the
 * parameter at fault. {@link #toString()} never shows the password. Setters only (the values are read
 * through the checked options). Not thread-safe: configured once, then read.
 */
public class KafkaBridgeSettings extends BrokerAccess {

    /** Longest Kafka topic name. */
    static final int MAX_TOPIC = 249;

    private String brokers;
    private String sasl = "none";
    private String tls = "false";
    private String clientId = "";
    private String connectTimeout = "10s";
    private String topic;
    private String key = "node";
    private String linger = "5ms";
    private String compression = "none";
    private String sendTimeout = "2m";
    private String groupId = "";
    private String meshTopic = "{topic}";
    private String nonJson = "wrap";
    private String maxBody = Integer.toString(IngestConfig.DEFAULT_MAX_BODY);
    private String maxDepth = "32";
    private String node = "";
    private String startFrom = "latest";
    private String maxInFlight = "1000";
    private String ackTimeout = "10s";
    private String meshId = "";
    private String forwardBridged = "false";

    /**
     * The checked options of {@code mesh-to-kafka}.
     *
     * @param topic          the Kafka topic
     * @param key            what the record key is made of
     * @param tuning         linger, compression and send timeout
     * @param meshId         this mesh's id, {@code null} to derive it from the stream
     * @param forwardBridged whether events from other meshes are forwarded too
     */
    public record Outbound(String topic, KafkaKey key, KafkaPublisher.Tuning tuning, String meshId,
                           boolean forwardBridged) {
    }

    /**
     * The checked options of {@code kafka-to-mesh}.
     *
     * @param topics      the Kafka topics
     * @param groupId     the consumer group, {@code null} for the route id
     * @param mapping     Kafka topic (its {@code .}-separated parts as levels) to mesh topic
     * @param payloads    the payload rules and limits
     * @param node        the node of emitted events, {@code null} for the worker's
     * @param earliest    whether a new group starts at the oldest records (else at new ones)
     * @param maxInFlight most records taken and not yet stored
     * @param ackTimeout  how long the stream's acknowledgement of one event may take
     * @param meshId      this mesh's id, {@code null} to derive it from the stream
     */
    public record Inbound(List<String> topics, String groupId, TopicMapping mapping, InboundPayloads payloads,
                          String node, boolean earliest, int maxInFlight, Duration ackTimeout, String meshId) {
    }

    /** Settings with the defaults. */
    public KafkaBridgeSettings() {
    }

    /**
     * The cluster connection, with {@code defaultClientId} when no clientId is set.
     *
     * @throws IllegalArgumentException naming the parameter at fault
     */
    public KafkaConnection connection(String defaultClientId) {
        String id = Params.text(clientId);
        try {
            return new KafkaConnection(KafkaConnection.splitServers(brokers),
                    KafkaConnection.Sasl.parse("sasl", sasl), Params.text(user), Params.secret(password),
                    Params.bool("tls", tls), Params.path(tlsCa), Params.path(tlsCert), Params.path(tlsKey),
                    id != null ? id : defaultClientId,
                    Params.duration("connectTimeout", connectTimeout, Duration.ofSeconds(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bridge parameters of the Kafka cluster: " + e.getMessage(), e);
        }
    }

    /** The options of {@code mesh-to-kafka}. */
    public Outbound outbound() {
        String t = requireTopic(topic);
        KafkaPublisher.Tuning tuning;
        try {
            tuning = new KafkaPublisher.Tuning(Params.duration("linger", linger, Duration.ZERO),
                    compression == null ? "" : compression.trim().toLowerCase(Locale.ROOT),
                    Params.duration("sendTimeout", sendTimeout, Duration.ofSeconds(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("bridge parameter") ? e.getMessage()
                    : "bridge parameter " + e.getMessage(), e);
        }
        return new Outbound(t, KafkaKey.parse(key), tuning, Params.meshId(meshId), Params.bool("forwardBridged", forwardBridged));
    }

    /** The options of {@code kafka-to-mesh}. */
    public Inbound inbound() {
        List<String> topics = KafkaConnection.splitServers(topic).stream().map(KafkaBridgeSettings::requireTopic)
                .toList();
        if (topics.isEmpty()) {
            requireTopic(null);
        }
        String pattern = meshTopic == null ? null : meshTopic.trim();
        if (pattern != null && pattern.contains(TopicMapping.REST)) {
            throw new IllegalArgumentException("bridge parameter meshTopic: kafka-to-mesh knows only the placeholder"
                    + " {topic} (the Kafka topic, its '.'-separated parts as tokens), was '" + pattern + "'");
        }
        TopicMapping mapping;
        try {
            mapping = new TopicMapping("#", pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bridge parameter " + e.getMessage(), e);
        }
        String nodeName = Params.text(node);
        if (nodeName != null && TopicRules.nodeProblem(nodeName) != null) {
            throw new IllegalArgumentException("bridge parameter node: " + TopicRules.nodeProblem(nodeName));
        }
        String group = Params.text(groupId);
        if (group != null && group.length() > 255) {
            throw new IllegalArgumentException("bridge parameter groupId is longer than 255 characters");
        }
        String start = startFrom == null ? "" : startFrom.trim().toLowerCase(Locale.ROOT);
        if (!start.equals("latest") && !start.equals("earliest")) {
            throw new IllegalArgumentException("bridge parameter startFrom must be latest or earliest, was '"
                    + startFrom + "'");
        }
        InboundPayloads payloads = new InboundPayloads(
                Params.integer("maxBody", maxBody, 2, EventCodec.DEFAULT_MAX_PAYLOAD * 64),
                Params.integer("maxDepth", maxDepth, 1, EventCodec.MAX_DEPTH - 1),
                InboundPayloads.NonJson.parse("bridge parameter nonJson", nonJson));
        return new Inbound(topics, group, mapping, payloads, nodeName, start.equals("earliest"),
                Params.integer("maxInFlight", maxInFlight, 1, 100_000),
                Params.duration("ackTimeout", ackTimeout, Duration.ofMillis(100)), Params.meshId(meshId));
    }

    /** The mesh topic of a record of the Kafka topic {@code kafkaTopic}: its {@code .}-separated parts as levels. */
    static String meshTopic(TopicMapping mapping, String kafkaTopic) {
        return mapping.meshTopic(kafkaTopic.replace('.', '/'));
    }

    /** Checks a Kafka topic name (1 to 249 of {@code a-z A-Z 0-9 . _ -}, not {@code .} or {@code ..}). */
    static String requireTopic(String value) {
        String t = value == null ? "" : value.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("bridge parameter topic is required (a Kafka topic name)");
        }
        boolean ok = t.length() <= MAX_TOPIC && !t.equals(".") && !t.equals("..");
        for (int i = 0; ok && i < t.length(); i++) {
            char c = t.charAt(i);
            ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
        }
        if (!ok) {
            throw new IllegalArgumentException("bridge parameter topic '" + t + "' is not a Kafka topic name: 1 to "
                    + MAX_TOPIC + " of a-z A-Z 0-9 . _ -");
        }
        return t;
    }

    @Override
    public String toString() {
        return "KafkaBridgeSettings[" + brokers + ", topic " + topic + ", sasl " + sasl + ", " + describeAccess()
                + "]";
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public void setSasl(String sasl) {
        this.sasl = sasl;
    }

    public void setTls(String tls) {
        this.tls = tls;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public void setLinger(String linger) {
        this.linger = linger;
    }

    public void setCompression(String compression) {
        this.compression = compression;
    }

    public void setSendTimeout(String sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public void setMeshTopic(String meshTopic) {
        this.meshTopic = meshTopic;
    }

    public void setNonJson(String nonJson) {
        this.nonJson = nonJson;
    }

    public void setMaxBody(String maxBody) {
        this.maxBody = maxBody;
    }

    public void setMaxDepth(String maxDepth) {
        this.maxDepth = maxDepth;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public void setMaxInFlight(String maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public void setAckTimeout(String ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public void setMeshId(String meshId) {
        this.meshId = meshId;
    }

    public void setForwardBridged(String forwardBridged) {
        this.forwardBridged = forwardBridged;
    }
}
