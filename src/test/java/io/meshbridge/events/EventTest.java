package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTest {

    private static final Map<String, Object> CONFIG = Map.of("model", "base", "threads", 4);

    // --- typed factories: type, node and the data of the reference table ---

    @Test
    void toolInstalled() {
        Event e = Event.toolInstalled("node-a", "whisper", "v1.0.0");

        assertTyped(e, "tool.installed", "node-a");
        assertThat(e.data()).containsExactly(entry("tool", "whisper"), entry("version", "v1.0.0"));
    }

    @Test
    void toolConfigured() {
        Event e = Event.toolConfigured("node-a", "calc", CONFIG);

        assertTyped(e, "tool.configured", "node-a");
        assertThat(e.data()).containsExactly(entry("tool", "calc"), entry("config", CONFIG));
    }

    @Test
    void toolConfiguredWithNullConfigKeepsTheKeyWithANullValue() {
        Event e = Event.toolConfigured("node-a", "calc", null);

        assertThat(e.data()).containsOnlyKeys("tool", "config");
        assertThat(e.data()).containsEntry("config", null);
    }

    @Test
    void toolStarted() {
        Event e = Event.toolStarted("node-b", "whisper");

        assertTyped(e, "tool.started", "node-b");
        assertThat(e.data()).containsExactly(entry("tool", "whisper"));
    }

    @Test
    void toolStopped() {
        Event e = Event.toolStopped("node-b", "whisper", "user request");

        assertTyped(e, "tool.stopped", "node-b");
        assertThat(e.data()).containsExactly(entry("tool", "whisper"), entry("reason", "user request"));
    }

    @Test
    void toolCrashedTakesTheErrorsMessageAndAnIntegerRestartCount() {
        Event e = Event.toolCrashed("gpu-box", "whisper", new IllegalStateException("OOM killed"), 2);

        assertTyped(e, "tool.crashed", "gpu-box");
        assertThat(e.data()).containsExactly(
                entry("tool", "whisper"), entry("error", "OOM killed"), entry("restart_count", 2));
        assertThat(e.data().get("restart_count")).isExactlyInstanceOf(Integer.class);
        assertThat(e.data().get("error")).isExactlyInstanceOf(String.class);
    }

    @Test
    void toolCrashedWithTextualError() {
        Event e = Event.toolCrashed("gpu-box", "whisper", "exit status 137", 0);

        assertTyped(e, "tool.crashed", "gpu-box");
        assertThat(e.data()).containsExactly(
                entry("tool", "whisper"), entry("error", "exit status 137"), entry("restart_count", 0));
        assertThat(e.data().get("restart_count")).isExactlyInstanceOf(Integer.class);
    }

    @Test
    void toolCrashedWithAnErrorWithoutMessageDescribesTheError() {
        Event e = Event.toolCrashed("gpu-box", "whisper", new OutOfMemoryError(), 1);

        assertThat(e.data().get("error")).isEqualTo("java.lang.OutOfMemoryError");
    }

    @Test
    void toolCrashedWithoutErrorHasANullError() {
        Event e = Event.toolCrashed("gpu-box", "whisper", (Throwable) null, 1);

        assertThat(e.data()).containsEntry("error", null).containsKey("error");
    }

    @Test
    void toolRemoved() {
        Event e = Event.toolRemoved("node-c", "calc");

        assertTyped(e, "tool.removed", "node-c");
        assertThat(e.data()).containsExactly(entry("tool", "calc"));
    }

    @Test
    void nodeJoined() {
        Map<String, Object> caps = Map.of("gpu", true, "vram_gb", 24);
        Event e = Event.nodeJoined("node-b", caps);

        assertTyped(e, "node.joined", "node-b");
        assertThat(e.data()).containsExactly(entry("capabilities", caps));
    }

    @Test
    void nodeJoinedWithNullCapabilities() {
        Event e = Event.nodeJoined("node-b", null);

        assertThat(e.data()).containsOnlyKeys("capabilities").containsEntry("capabilities", null);
    }

    @Test
    void nodeLeft() {
        Event e = Event.nodeLeft("node-a", "shutdown");

        assertTyped(e, "node.left", "node-a");
        assertThat(e.data()).containsExactly(entry("reason", "shutdown"));
    }

    @Test
    void nodeHealth() {
        Map<String, Object> resources = Map.of("gpu_util", 0.45);
        Event e = Event.nodeHealth("node-a", "online", resources);

        assertTyped(e, "node.health", "node-a");
        assertThat(e.data()).containsExactly(entry("status", "online"), entry("resources", resources));
    }

    @Test
    void nodeHealthWithNullResources() {
        Event e = Event.nodeHealth("node-a", "degraded", null);

        assertThat(e.data()).containsExactly(entry("status", "degraded"), entry("resources", null));
    }

    @Test
    void userEventWithDottedTopic() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", "bert");
        data.put("epochs", 100);
        Event e = Event.user("gpu-box", "training.complete", data);

        assertTyped(e, "user.training.complete", "gpu-box");
        assertThat(e.data()).containsExactly(entry("model", "bert"), entry("epochs", 100));
        assertThat(e.subject()).isEqualTo("events.user.training.complete");
    }

    @Test
    void userEventWithNullDataHasNullData() {
        Event e = Event.user("node-c", "custom.topic", null);

        assertTyped(e, "user.custom.topic", "node-c");
        assertThat(e.data()).isNull();
    }

    @Test
    void userEventRefusesAnEmptyOrNullTopic() {
        assertThatThrownBy(() -> Event.user("n", "", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty token");
        assertThatThrownBy(() -> Event.user("n", "a..b", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty token");
        assertThatThrownBy(() -> Event.user("n", null, Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("topic");
    }

    @Test
    void factoriesAcceptAnEmptyNodeForTheBusToFillIn() {
        assertThat(Event.toolStarted("", "calc").node()).isEmpty();
    }

    private static void assertTyped(Event e, String type, String node) {
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.node()).isEqualTo(node);
        assertThat(e.timestamp()).isNull();
        assertThat(e.subject()).isEqualTo("events." + type);
    }

    // --- the data map ---

    @Test
    void dataIsUnmodifiable() {
        Event e = Event.toolInstalled("node-a", "whisper", "v1");

        assertThatThrownBy(() -> e.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.data().remove("tool")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.data().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.data()).hasSize(2);
    }

    @Test
    void dataIsCopiedSoLaterChangesToTheArgumentDoNotShow() {
        Map<String, Object> data = new HashMap<>();
        data.put("a", 1);
        Event e = new Event("user.x", "n", null, data);

        data.put("b", 2);
        data.remove("a");

        assertThat(e.data()).containsExactly(entry("a", 1));
    }

    @Test
    void dataKeepsInsertionOrder() {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String key : List.of("zeta", "alpha", "mu", "beta", "omega", "gamma")) {
            data.put(key, key.length());
        }
        Event e = new Event("user.x", "n", null, data);

        assertThat(e.data().keySet()).containsExactly("zeta", "alpha", "mu", "beta", "omega", "gamma");
    }

    @Test
    void equalEventsAreEqual() {
        Instant t = Instant.parse("2026-11-29T10:45:28.123456789Z");
        Event a = Event.toolInstalled("node-a", "whisper", "v1").withTimestamp(t);
        Event b = Event.toolInstalled("node-a", "whisper", "v1").withTimestamp(t);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.withNode("node-b"));
    }

    // --- validation ---

    @ParameterizedTest
    @ValueSource(strings = {"tool..x", ".x", "x.", ".", "..", "user."})
    void typeWithAnEmptyTokenIsRefused(String type) {
        assertThatThrownBy(() -> new Event(type, "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has an empty token");
    }

    @Test
    void emptyTypeIsRefused() {
        assertThatThrownBy(() -> new Event("", "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event type must not be empty");
    }

    @Test
    void nullTypeIsRefused() {
        assertThatThrownBy(() -> new Event(null, "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event type must not be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", ">", "tool.*", "tool.>", "*.crashed", ">.x", "to*ol", "tool.crash>", "a.b*c.d"})
    void typeWithAWildcardAnywhereIsRefused(String type) {
        assertThatThrownBy(() -> new Event(type, "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains the wildcard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tool crashed", " tool", "tool ", "tool\tx", "tool\nx", "tool\rx", "tool\u0000x",
        "tool\u001fx", "tool\u007fx", "tool\u0085x", "tool\u00a0x", "tool\u2028x", "tool\u3000x"})
    void typeWithWhitespaceOrControlCharactersIsRefused(String type) {
        assertThatThrownBy(() -> new Event(type, "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains whitespace or a control character");
    }

    @Test
    void controlCharactersAreShownEscapedInTheMessage() {
        assertThatThrownBy(() -> new Event("tool\nx", "n", null, null))
                .hasMessage("event type 'tool\\u000ax' contains whitespace or a control character");
    }

    @Test
    void typeOfTwoHundredCharactersIsAcceptedAndOneMoreIsRefused() {
        String longest = "user." + "x".repeat(EventTypes.MAX_TYPE_LENGTH - 5);
        assertThat(longest).hasSize(200);

        assertThat(new Event(longest, "n", null, null).type()).isEqualTo(longest);
        assertThatThrownBy(() -> new Event(longest + "y", "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event type is longer than 200 characters");
    }

    @Test
    void unicodeTypesAreAccepted() {
        assertThat(new Event("user.überwachung.日本", "n", null, null).subject())
                .isEqualTo("events.user.überwachung.日本");
    }

    @Test
    void nullNodeIsRefused() {
        assertThatThrownBy(() -> new Event("tool.started", null, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("node must not be null");
        assertThatThrownBy(() -> Event.toolStarted(null, "calc"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void nodeLongerThanTheLimitIsRefused() {
        String longest = "n".repeat(Event.MAX_NODE_LENGTH);

        assertThat(new Event("tool.started", longest, null, null).node()).hasSize(256);
        assertThatThrownBy(() -> new Event("tool.started", longest + "n", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node is longer than 256 characters");
    }

    // --- copies ---

    @Test
    void withNodeAndWithTimestampCopyEverythingElse() {
        Instant t = Instant.parse("2026-11-29T10:45:28Z");
        Event e = Event.toolStopped("", "calc", "done");

        Event stamped = e.withNode("node-a").withTimestamp(t);

        assertThat(stamped.type()).isEqualTo("tool.stopped");
        assertThat(stamped.node()).isEqualTo("node-a");
        assertThat(stamped.timestamp()).isEqualTo(t);
        assertThat(stamped.data()).isEqualTo(e.data());
        assertThat(e.node()).isEmpty();
        assertThat(e.timestamp()).isNull();
    }

    @Test
    void subjectIsThePrefixAndTheType() {
        assertThat(Event.toolCrashed("n", "t", "e", 1).subject()).isEqualTo("events.tool.crashed");
        assertThat(new Event("a", "n", null, null).subject()).isEqualTo("events.a");
    }
}
