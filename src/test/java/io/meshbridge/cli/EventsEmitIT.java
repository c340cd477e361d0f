package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code events emit} run as the packaged jar; what it stored is read back with jnats directly. */
class EventsEmitIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Pattern EMITTED = Pattern.compile("emitted (\\S+) id=(\\S{22}) seq=(\\d+)");

    @Test
    void emittedEventIsListedAndStoredInTheGoForm() throws Exception {
        CliProcess.Result emit = CliProcess.run("events", "emit", "tool.crashed", "tool=whisper",
                "restart_count=2", "error=\"boom\"", "--node", "n1", "--server", NATS.url());

        assertThat(emit.exitCode()).as(emit.toString()).isZero();
        assertThat(emit.stdoutLines()).as(emit.toString()).hasSize(1);
        Matcher m = EMITTED.matcher(emit.stdoutLines().get(0));
        assertThat(m.matches()).as(emit.toString()).isTrue();
        assertThat(m.group(1)).isEqualTo("tool.crashed");
        String id = m.group(2);
        long seq = Long.parseLong(m.group(3));

        CliProcess.Result list = CliProcess.run("events", "list", "--json", "--filter", "events.tool.crashed",
                "--server", NATS.url());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<Event> listed = new ArrayList<>();
        for (String line : list.stdoutLines()) {
            listed.add(EventCodec.defaults().decode("events.tool.crashed", line.getBytes(StandardCharsets.UTF_8))
                    .event());
        }
        assertThat(listed).anySatisfy(e -> {
            assertThat(e.node()).isEqualTo("n1");
            assertThat(e.data()).containsEntry("tool", "whisper").containsEntry("error", "boom");
            assertThat(e.data().get("restart_count")).isInstanceOf(Number.class).isEqualTo(2);
        });

        Connection nc = NATS.connect();
        MessageInfo stored = nc.jetStreamManagement().getMessage("MESH_EVENTS", seq);
        assertThat(stored.getSubject()).isEqualTo("events.tool.crashed");
        assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(id);
        JsonNode envelope = new ObjectMapper().readTree(stored.getData());
        List<String> members = new ArrayList<>();
        envelope.fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactly("type", "node", "timestamp", "data");
        assertThat(envelope.get("data").get("restart_count").isIntegralNumber()).isTrue();
    }

    @Test
    void valuesAreJsonWhenTheyParseAndTextOtherwise() throws Exception {
        CliProcess.Result emit = CliProcess.run("events", "emit", "events.user.training.complete", "n=2",
                "ok=true", "o={\"a\":1}", "s=\"x\"", "empty=", "raw=hello world", "f=0.5", "--json",
                "--node", "n2", "--server", NATS.url());

        assertThat(emit.exitCode()).as(emit.toString()).isZero();
        assertThat(emit.stderrLines()).as(emit.toString()).hasSize(1)
                .allSatisfy(l -> assertThat(l).matches(EMITTED.pattern()));
        String printed = emit.stdoutLines().get(0);
        Event event = EventCodec.defaults().decode("events.user.training.complete",
                printed.getBytes(StandardCharsets.UTF_8)).event();
        assertThat(event.type()).isEqualTo("user.training.complete");
        assertThat(event.data()).containsEntry("n", 2).containsEntry("ok", true)
                .containsEntry("o", Map.of("a", 1)).containsEntry("s", "x").containsEntry("empty", "")
                .containsEntry("raw", "hello world").containsEntry("f", new BigDecimal("0.5"));

        Matcher m = EMITTED.matcher(emit.stderrLines().get(0));
        assertThat(m.matches()).isTrue();
        MessageInfo stored = NATS.connect().jetStreamManagement().getMessage("MESH_EVENTS",
                Long.parseLong(m.group(3)));
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).isEqualTo(printed);
    }
}
