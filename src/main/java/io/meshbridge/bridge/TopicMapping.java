package io.meshbridge.bridge;

import io.meshbridge.ingest.TopicRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an inbound bridge names the event of a broker message: the topic {@code T} of the event
 * {@code user.T}, made from the broker's topic by a pattern, under the rules every ingest shares
 * ({@link TopicRules}), so no broker message reaches a subject outside {@code events.user.}.
 *
 * <p>The broker topic is split into levels ({@code /} in MQTT); each level becomes one subject token by
 * {@link TopicRules#sanitizeToken} (anything but {@code A-Z a-z 0-9 _ -} becomes {@code _}, an empty level
 * {@code _}). In the pattern, {@code {topic}} stands for all levels joined by {@code .}, and {@code {rest}}
 * for the levels after the filter's leading literal levels (those before its first wildcard; {@code _} when
 * none is left). Examples with the filter {@code plant/+/temp}: pattern {@code {topic}} gives
 * {@code plant.p1.temp} for {@code plant/p1/temp}, {@code sensors.{rest}} gives {@code sensors.p1.temp},
 * {@code readings} gives {@code readings} for every message. A result that is not a valid topic for a generic
 * source (more than {@value TopicRules#MAX_TOKENS} tokens, longer than {@link TopicRules#MAX_TOPIC_LENGTH},
 * reserved for the Alertmanager ingest) is refused with the reason.
 *
 * @param filter  the broker's topic filter the route subscribes to
 * @param pattern the mesh topic pattern
 */
public record TopicMapping(String filter, String pattern) {

    /** The whole broker topic. */
    public static final String TOPIC = "{topic}";

    /** The broker topic after the filter's literal levels. */
    public static final String REST = "{rest}";

    /** Checks that the pattern's fixed parts make a valid topic. */
    public TopicMapping {
        Objects.requireNonNull(filter, "filter");
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("meshTopic must not be empty (e.g. {topic}, sensors.{rest}, readings)");
        }
        String probe = pattern.replace(TOPIC, "x").replace(REST, "x");
        if (probe.indexOf('{') >= 0 || probe.indexOf('}') >= 0) {
            throw new IllegalArgumentException("meshTopic '" + pattern + "' knows only the placeholders {topic} and"
                    + " {rest}");
        }
        String problem = TopicRules.genericTopicProblem(probe);
        if (problem != null) {
            throw new IllegalArgumentException("meshTopic '" + pattern + "' does not make a valid topic: " + problem);
        }
    }

    /**
     * The mesh topic of a message on {@code brokerTopic} (levels separated by {@code /}).
     *
     * @throws IllegalArgumentException naming why the result is not a valid topic
     */
    public String meshTopic(String brokerTopic) {
        List<String> levels = levels(brokerTopic);
        String result = pattern;
        if (result.contains(TOPIC)) {
            result = result.replace(TOPIC, String.join(".", levels));
        }
        if (result.contains(REST)) {
            int skip = literalLevels(filter);
            List<String> rest = levels.size() > skip ? levels.subList(skip, levels.size()) : List.of("_");
            result = result.replace(REST, String.join(".", rest));
        }
        String problem = TopicRules.genericTopicProblem(result);
        if (problem != null) {
            throw new IllegalArgumentException("the topic " + shown(brokerTopic) + " maps to no valid mesh topic: "
                    + problem);
        }
        return result;
    }

    private static List<String> levels(String topic) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= topic.length(); i++) {
            if (i == topic.length() || topic.charAt(i) == '/') {
                out.add(TopicRules.sanitizeToken(topic.substring(start, i)));
                start = i + 1;
                if (out.size() > TopicRules.MAX_TOKENS) {
                    break; // refused anyway; do not split a huge topic further
                }
            }
        }
        return out;
    }

    /** The number of levels of {@code filter} before its first wildcard. */
    static int literalLevels(String filter) {
        String[] parts = filter.split("/", -1);
        int n = 0;
        for (String p : parts) {
            if (p.equals("+") || p.equals("#")) {
                break;
            }
            n++;
        }
        return n;
    }

    private static String shown(String topic) {
        return "'" + (topic.length() > 120 ? topic.substring(0, 120) + "…" : topic) + "'";
    }
}
