package io.meshbridge.ingest;

import io.meshbridge.events.Secret;
import java.util.List;
import java.util.Objects;

/**
 * A bearer token that may put events onto the mesh through an ingest endpoint.
 *
 * <p>Written as {@code NAME:SECRET[;topics=PREFIX|PREFIX...][;node=NODE]} (see {@link IngestTokens}):
 * the name identifies the token in logs and answers (the secret never appears anywhere), the topic prefixes
 * limit which topics it may emit (token by token: {@code build} covers {@code build} and
 * {@code build.done}; {@code alert} covers the Alertmanager endpoint; none means every topic), and a bound
 * node is the node of every event it emits ({@code X-Mesh-Node} may only repeat it).
 *
 * @param name     1 to 64 characters {@code A-Z a-z 0-9 _ -}
 * @param secret   at least {@value #MIN_SECRET_LENGTH} printable ASCII characters other than space,
 *                 {@code , ; : |}; never printed
 * @param topics   the topic prefixes it may emit to; empty for every topic
 * @param node     the node it is bound to, or {@code null}
 */
public record IngestToken(String name, Secret secret, List<String> topics, String node) {

    /** Shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** Validates every member, naming the token (never the secret) in the message. */
    public IngestToken {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("token name '" + printable(name) + "' must be 1 to 64 characters"
                    + " A-Z a-z 0-9 _ -");
        }
        Objects.requireNonNull(secret, "secret");
        String problem = secretProblem(secret.value());
        if (problem != null) {
            throw new IllegalArgumentException("token " + name + ": " + problem);
        }
        topics = List.copyOf(topics == null ? List.of() : topics);
        for (String prefix : topics) {
            String p = TopicRules.topicProblem(prefix);
            if (p != null) {
                throw new IllegalArgumentException("token " + name + ": topics: " + p);
            }
        }
        if (node != null) {
            String p = TopicRules.nodeProblem(node);
            if (p != null) {
                throw new IllegalArgumentException("token " + name + ": node: " + p);
            }
        }
    }

    /** Whether this token may emit to {@code topic}. */
    public boolean allows(String topic) {
        if (topics.isEmpty()) {
            return true;
        }
        for (String prefix : topics) {
            if (TopicRules.covers(prefix, topic)) {
                return true;
            }
        }
        return false;
    }

    private static String secretProblem(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            return "the secret must be at least " + MIN_SECRET_LENGTH + " characters (e.g. openssl rand -hex 32)";
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c > '~' || c == ',' || c == ';' || c == ':' || c == '|') {
                return "the secret must be printable ASCII without space , ; : |";
            }
        }
        return null;
    }

    private static String printable(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return "IngestToken[" + name + (topics.isEmpty() ? "" : ", topics=" + topics)
                + (node == null ? "" : ", node=" + node) + "]";
    }
}
