package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import java.util.List;
import java.util.Map;

/**
 * Ten event types, one per subject, shaped like the reference samples ({@code samples.tsv}): about 150
 * bytes once encoded. The node is set, the timestamp is not: the bus stamps it, as in normal use.
 */
final class SampleEvents {

    /** The type whose history is queried. */
    static final String CRASHED = "tool.crashed";

    static final List<Event> ALL = List.of(
            Event.toolInstalled("node-a.mesh.example", "whisper-large", "v1.0.0"),
            Event.toolConfigured("node-a.mesh.example", "calculator", Map.of("threads", 4, "mode", "fast")),
            Event.toolStarted("gpu-box-01.mesh.example", "whisper-large-v3"),
            Event.toolStopped("gpu-box-01.mesh.example", "whisper-large", "idle timeout"),
            Event.toolCrashed("gpu-box.mesh.example", "whisper", "OOM killed", 2),
            Event.toolRemoved("node-b.mesh.example", "legacy-transcriber-v1"),
            Event.nodeJoined("node-b.mesh.example", Map.of("gpu", true, "vram_gb", 24)),
            Event.nodeLeft("node-b.mesh.example", "shutdown requested"),
            Event.nodeHealth("node-c.mesh.example", "ok", Map.of("cpu", 12, "mem", 41)),
            Event.user("node-a.mesh.example", "training.complete", Map.of("model", "m-7", "epochs", 3)));

    private SampleEvents() {
    }

    /** The events as a bus sends them, pre-serialised once: what the raw jnats baselines publish. */
    record Wire(String[] subjects, byte[][] payloads) {
        int size() {
            return subjects.length;
        }
    }

    static Wire wire(Bus bus) {
        String[] subjects = new String[ALL.size()];
        byte[][] payloads = new byte[ALL.size()][];
        for (int i = 0; i < ALL.size(); i++) {
            subjects[i] = ALL.get(i).subject();
            payloads[i] = bus.codec().encode(bus.stamp(ALL.get(i)));
        }
        return new Wire(subjects, payloads);
    }

    static Event ofType(String type) {
        return ALL.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
    }
}
