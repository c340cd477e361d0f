package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.StreamRecords;
import io.meshbridge.cli.Main;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history API as the worker process serves it, next to the CLI: the archive holds three events of an
 * earlier incarnation of {@code MESH_EVENTS} (below {@code mesh.archive.dir}), the worker's stream the reference
 * payloads published raw by other producers (well-formed, oddities, malformed). Each event the API answers is,
 * byte for byte, the line {@code events list --json --archive DIR} prints for it.
 */
@Workers.SharedWorkers
class HistoryApiWorkerIT {

    static final String TOKEN = "history-it-0123456789abcdef";

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    static final Workers WORKERS = new Workers();

    @TempDir
    static Path dir;

    static Path archive;
    static WorkerProcess worker;
    static int stored;
    static int malformed;

    @BeforeAll
    static void archiveAnEarlierIncarnationThenStartTheWorkerAndStoreTheSamples() throws Exception {
        Connection nc = NATS.connect();
        JetStreamManagement jsm = nc.jetStreamManagement();
        archive = dir.resolve("archive");
        PersistentBus earlier = PersistentBus.open(nc, "old-node", PersistConfig.defaults());
        List<ArchiveRecord> records = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            records.add(StreamRecords.emit(earlier, Event.user("old-node", "archived", Map.of("n", n, "note",
                    "<é & ü>"))));
        }
        StreamRecords.archive(archive, records);
        jsm.deleteStream(PersistConfig.DEFAULT_STREAM);

        WorkDir.create(dir, NATS.url(), "[]\n", Map.of("mesh.api.tokens", TOKEN,
                "mesh.archive.dir", archive.toString()));
        worker = WORKERS.startWorker("history", dir);
        String samples;
        try (var in = HistoryApiWorkerIT.class.getResourceAsStream("/reference/samples.tsv")) {
            samples = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : samples.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 3);
            nc.jetStream().publish(fields[1], (fields.length > 2 ? fields[2] : "").getBytes(StandardCharsets.UTF_8));
            stored++;
            malformed += fields[0].startsWith("malformed-") ? 1 : 0;
        }
    }

    @Test
    void everyEventIsByteForByteTheLineOfEventsListJson() throws Exception {
        byte[] body = get("/api/history?limit=1000");
        List<byte[]> answered = eventElements(body);
        Cli cli = cli("events", "list", "--json", "--limit", "1000", "--archive", archive.toString(), "--server",
                NATS.url());

        assertThat(cli.exit()).as(cli.err()).isZero();
        List<byte[]> printed = lines(cli.out());
        assertThat(answered).hasSize(3 + stored - malformed).hasSameSizeAs(printed);
        for (int i = 0; i < answered.size(); i++) {
            assertThat(answered.get(i)).as("event %d: API %s, CLI %s", i, utf8(answered.get(i)), utf8(printed.get(i)))
                    .isEqualTo(printed.get(i));
        }
        assertThat(utf8(answered.get(0))).contains("\"type\":\"user.archived\"").contains("\\u003c");
        JsonNode page = new ObjectMapper().readTree(body);
        assertThat(page.get("undecodable")).hasSize(malformed);
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(cli.err().lines().filter(l -> l.startsWith("undecodable message: "))).hasSize(malformed);
    }

    @Test
    void lastAndThePagesAnswerThroughTheWorkersTokenCheck() throws Exception {
        JsonNode nodes = new ObjectMapper().readTree(get("/api/history/last?filter=node.*"));
        assertThat(nodes.get("events")).extracting(e -> e.get("type").asText())
                .containsExactly("node.health", "node.left", "node.joined");
        JsonNode crashed = new ObjectMapper().readTree(get("/api/history/last?filter=tool.crashed"));
        assertThat(crashed.get("events")).as("the last crash report is not JSON").isEmpty();
        assertThat(crashed.get("undecodable")).singleElement().satisfies(u -> {
            assertThat(u.get("subject").asText()).isEqualTo("events.tool.crashed");
            assertThat(u.get("sequence").asLong()).isEqualTo(12);
        });

        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.httpPort() + "/api/history")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.httpPort() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(utf8(r.body())).isEqualTo(200);
        return r.body();
    }

    /** The bytes of each element of the answer's {@code events} array, as they stand in the body. */
    static List<byte[]> eventElements(byte[] body) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(body)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals("events")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    out.add(Arrays.copyOfRange(body, start, end));
                }
            }
        }
        return out;
    }

    /** The lines of {@code out} (UTF-8, each ending with a line break), as bytes. */
    static List<byte[]> lines(byte[] out) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\n') {
                lines.add(Arrays.copyOfRange(out, start, i));
                start = i + 1;
            }
        }
        assertThat(start).as("the output ends with a line break").isEqualTo(out.length);
        return lines;
    }

    /** What a CLI run printed: stdout's bytes as the CLI writes them (UTF-8), stderr as text. */
    record Cli(int exit, byte[] out, String err) {
    }

    static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
             PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8))) {
            exit = Main.commandLine(o, e).execute(args);
        }
        return new Cli(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
