package io.meshbridge.ingest;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventTypes;

/**
 * The rules every ingest follows before an external signal becomes an event {@code user.<topic>}: which
 * topics a client may name, which are reserved, how a foreign name becomes one subject token, and which node
 * names a client may claim. Shared by the HTTP endpoints and by future broker ingests (MQTT, Kafka), so
 * no source can reach a subject outside {@code events.user.}.
 *
 * <p>A topic is {@code 1} to {@value #MAX_TOKENS} dot-separated tokens, at most {@link #MAX_TOPIC_LENGTH}
 * characters; a token is never empty and holds no NATS wildcard ({@code *}, {@code >}), no whitespace and no
 * control character (the rules of {@link EventTypes}). The topic {@value #ALERTMANAGER} and every topic
 * starting with {@value #ALERT_PREFIX} are reserved for the Alertmanager ingest: a generic source must not
 * produce them, so no client forges alerts.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicRules {

    /** The type prefix of every ingested event. */
    public static final String USER_PREFIX = "user.";

    /** Most tokens in a topic. */
    public static final int MAX_TOKENS = 16;

    /** Longest topic, in characters, so that {@code user.<topic>} is a valid event type. */
    public static final int MAX_TOPIC_LENGTH = EventTypes.MAX_TYPE_LENGTH - USER_PREFIX.length();

    /** Longest token made by {@link #sanitizeToken}. */
    public static final int MAX_SANITIZED_TOKEN = 64;

    /** The reserved topic of the Alertmanager endpoint. */
    public static final String ALERTMANAGER = "alertmanager";

    /** The reserved prefix of alert topics ({@code user.alert.<alertname>}). */
    public static final String ALERT_PREFIX = "alert.";

    private TopicRules() {
    }

    /** What is wrong with {@code topic} as a topic a client names, or {@code null} when it is valid. */
    public static String topicProblem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "topic must not be empty";
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            return "topic is longer than " + MAX_TOPIC_LENGTH + " characters";
        }
        int tokens = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '.') {
                tokens++;
            }
        }
        if (tokens > MAX_TOKENS) {
            return "topic has " + tokens + " tokens, more than " + MAX_TOKENS;
        }
        String problem = EventTypes.typeProblem(USER_PREFIX + topic);
        return problem == null ? null : problem.replace("event type 'user.", "topic '");
    }

    /**
     * What is wrong with {@code topic} for a generic source (a valid topic that is not reserved), or
     * {@code null} when a generic source may use it.
     */
    public static String genericTopicProblem(String topic) {
        String problem = topicProblem(topic);
        if (problem != null) {
            return problem;
        }
        if (isReserved(topic)) {
            return "topic '" + topic + "' is reserved for the Alertmanager ingest (POST /ingest/alertmanager)";
        }
        return null;
    }

    /** Whether {@code topic} is reserved for the Alertmanager ingest. */
    public static boolean isReserved(String topic) {
        return topic.equals(ALERTMANAGER) || topic.startsWith(ALERT_PREFIX);
    }

    /**
     * A foreign name (an Alertmanager {@code alertname}, a broker topic segment) as one valid subject token:
     * every character other than {@code A-Z a-z 0-9 _ -} becomes {@code _}, the result is cut to
     * {@value #MAX_SANITIZED_TOKEN} characters, and an empty or missing name becomes {@code _}.
     */
    public static String sanitizeToken(String name) {
        if (name == null || name.isEmpty()) {
            return "_";
        }
        int length = Math.min(name.length(), MAX_SANITIZED_TOKEN);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-';
            out.append(plain ? c : '_');
        }
        return out.toString();
    }

    /**
     * What is wrong with {@code node} as a node name a client claims, or {@code null} when it is valid:
     * 1 to {@link Event#MAX_NODE_LENGTH} characters, no whitespace, no control character.
     */
    public static String nodeProblem(String node) {
        if (node == null || node.isEmpty()) {
            return "node name must not be empty";
        }
        if (node.length() > Event.MAX_NODE_LENGTH) {
            return "node name is longer than " + Event.MAX_NODE_LENGTH + " characters";
        }
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "node name contains whitespace or a control character";
            }
        }
        return null;
    }

    /**
     * Whether {@code prefix} covers {@code topic} token by token: {@code build} covers {@code build} and
     * {@code build.done}, not {@code builds}.
     */
    public static boolean covers(String prefix, String topic) {
        return topic.equals(prefix) || topic.startsWith(prefix) && topic.length() > prefix.length()
                && topic.charAt(prefix.length()) == '.';
    }
}
