package io.meshbridge.api;

import static io.meshbridge.api.ApiServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.StreamRecords;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/history} and {@code GET /api/history/last} over real HTTP on a private nats-server: the
 * stream {@value #STREAM} (created anew by each test) and an archive directory the tests write with the archive
 * library. Event {@code n} is {@code user.fizz} when {@code n} is a multiple of 3, else {@code user.count}, with
 * data {@code {"n": n}}.
 */
class HistoryApiIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    static final String STREAM = "HISTORY_API";

    @TempDir
    static Path archive;

    static Connection nc;
    static JetStreamManagement jsm;
    static ApiServer api;

    @BeforeAll
    static void start() throws Exception {
        nc = NATS.connect();
        jsm = nc.jetStreamManagement();
        api = ApiServer.start(router -> {
            try {
                HistoryApi.register(router, nc, STREAM, archive);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @BeforeEach
    void noStreamAndAnEmptyArchive() throws Exception {
        if (jsm.getStreamNames().contains(STREAM)) {
            jsm.deleteStream(STREAM);
        }
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(archive)) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void pagingTwoHundredFiftyEventsByHundredGivesEachOnceInOrderAndNoNextAtTheEnd() throws Exception {
        emit(bus(0), 1, 250);

        List<JsonNode> pages = walk("limit=100");

        assertThat(pages).extracting(p -> p.get("events").size()).containsExactly(100, 100, 50);
        assertThat(pages.get(0).get("next").isTextual()).isTrue();
        assertThat(pages.get(1).get("next").isTextual()).isTrue();
        assertThat(pages.get(2).get("next").isNull()).isTrue();
        assertThat(numbers(pages)).containsExactlyElementsOf(range(1, 250));
        assertThat(pages).allSatisfy(p -> assertThat(p.get("undecodable")).isEmpty());
        assertThat(walk("")).extracting(p -> p.get("events").size()).as("the default limit").containsExactly(100,
                100, 50);
    }

    @Test
    void theFilterTakesTheCliFormsAndSelectsExactlyItsEvents() throws Exception {
        emit(bus(0), 1, 250);
        List<Integer> fizz = IntStream.rangeClosed(1, 83).map(k -> 3 * k).boxed().toList();

        assertThat(numbers(walk("limit=10&filter=user.fizz"))).containsExactlyElementsOf(fizz);
        assertThat(numbers(walk("limit=1000&filter=events.user.fizz"))).containsExactlyElementsOf(fizz);
        assertThat(numbers(walk("filter=" + q("*.fizz")))).containsExactlyElementsOf(fizz);
        assertThat(numbers(walk("filter=" + q(">") + "&limit=1000"))).containsExactlyElementsOf(range(1, 250));
        assertThat(walk("filter=tool.crashed")).singleElement()
                .satisfies(p -> assertThat(p.get("events")).isEmpty())
                .satisfies(p -> assertThat(p.get("next").isNull()).isTrue());
    }

    @Test
    void sinceIsInclusiveUntilExclusiveAndTheyHoldAcrossPages() throws Exception {
        emit(bus(0), 1, 100);
        String range = "since=" + q(time(50).toString()) + "&until=" + q(time(60).toString());

        List<JsonNode> pages = walk("limit=4&" + range);

        assertThat(pages).extracting(p -> p.get("events").size()).containsExactly(4, 4, 2);
        assertThat(numbers(pages)).containsExactlyElementsOf(range(50, 59));
        assertThat(numbers(walk("since=" + q(time(95).toString())))).containsExactlyElementsOf(range(95, 100));
        assertThat(numbers(walk("until=" + q(time(3).toString())))).containsExactly(1, 2);
        assertThat(numbers(walk("filter=user.fizz&" + range))).containsExactly(51, 54, 57);
        assertThat(numbers(walk("since=" + q(time(100).plusNanos(1).toString())))).isEmpty();
    }

    @Test
    void everyBadParameterIsRefusedWithFourHundredNamingIt() throws Exception {
        emit(bus(0), 1, 3);
        String otherVersion = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("h2 " + Instant.now() + " 5 " + Instant.now()).getBytes(StandardCharsets.US_ASCII));
        String noNumber = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("h1 " + Instant.now() + " five " + Instant.now()).getBytes(StandardCharsets.US_ASCII));
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("/history?limit=0", "limit must be an integer from 1 to 1000, was '0'");
        refusals.put("/history?limit=1001", "limit must be an integer from 1 to 1000, was '1001'");
        refusals.put("/history?limit=ten", "limit must be an integer from 1 to 1000, was 'ten'");
        refusals.put("/history?since=yesterday", "since must be an RFC 3339 time such as 2026-12-01T10:00:00Z,"
                + " was 'yesterday'");
        refusals.put("/history?until=2026-13-01T00:00:00Z", "until must be an RFC 3339 time such as"
                + " 2026-12-01T10:00:00Z, was '2026-13-01T00:00:00Z'");
        refusals.put("/history?since=2026-12-01T10:00:00Z&until=2026-12-01T10:00:00Z", "until must be after since,"
                + " was since 2026-12-01T10:00:00Z, until 2026-12-01T10:00:00Z");
        refusals.put("/history?filter=tool..x", "filter: subject filter 'events.tool..x' has an empty token");
        refusals.put("/history?filter=a%20b", "filter: subject filter 'events.a b' contains whitespace or a"
                + " control character");
        refusals.put("/history?filter=tool.%3E.x", "filter: subject filter 'events.tool.>.x' uses '>' before the"
                + " last token");
        refusals.put("/history?cursor=nonsense", "cursor is not one of this API's: pass the next of a previous"
                + " page unchanged, was 'nonsense'");
        refusals.put("/history?cursor=" + otherVersion, "cursor is not one of this API's: pass the next of a"
                + " previous page unchanged, was '" + otherVersion + "'");
        refusals.put("/history?cursor=" + noNumber, "cursor is not one of this API's: pass the next of a previous"
                + " page unchanged, was '" + noNumber + "'");
        refusals.put("/history?limt=5", "unknown parameter limt (known: cursor, filter, limit, since, until)");
        refusals.put("/history/last?filter=a..b", "filter: subject filter 'events.a..b' has an empty token");
        refusals.put("/history/last?limit=5", "unknown parameter limit (known: by, filter, window)");

        for (Map.Entry<String, String> r : refusals.entrySet()) {
            HttpResponse<String> answer = api.get(r.getKey());
            assertThat(answer.statusCode()).as(r.getKey() + ": " + answer.body()).isEqualTo(400);
            JsonNode body = ApiJson.MAPPER.readTree(answer.body());
            assertThat(body.get("status").asInt()).isEqualTo(400);
            assertThat(body.get("reason").asText()).as(r.getKey()).isEqualTo(r.getValue());
        }
        assertThat(numbers(walk("limit=1"))).as("the stream still answers").containsExactly(1, 2, 3);
    }

    @Test
    void aCursorAcrossARecreatedStreamContinuesWithTheNewEventsWithoutErrorOrRepeats() throws Exception {
        emit(bus(0), 1, 250);
        JsonNode first = api.ok("/history?limit=100");
        assertThat(numbers(List.of(first))).containsExactlyElementsOf(range(1, 100));

        jsm.deleteStream(STREAM);
        emit(bus(0), 1001, 1030);
        List<JsonNode> rest = walk("limit=100", first.get("next").asText());

        assertThat(numbers(rest)).containsExactlyElementsOf(range(1001, 1030));
        assertThat(rest.get(rest.size() - 1).get("next").isNull()).isTrue();
        assertThat(numbers(walk("limit=100"))).as("a first page reads the new stream only")
                .containsExactlyElementsOf(range(1001, 1030));
    }

    @Test
    void theArchiveAnswersWhatTheStreamNoLongerHoldsThenTheStreamEachEventOnce() throws Exception {
        PersistentBus bus = bus(50);
        List<ArchiveRecord> records = new ArrayList<>();
        for (int n = 1; n <= 120; n++) {
            records.add(StreamRecords.emit(bus, event(n)));
        }
        StreamRecords.archive(archive, records); // all 120, the 50 the stream still holds too
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getFirstSequence()).isEqualTo(71);

        JsonNode first = api.ok("/history?limit=100");
        assertThat(numbers(List.of(first))).as("70 from the archive, then 30 from the stream")
                .containsExactlyElementsOf(range(1, 100));
        List<JsonNode> rest = walk("limit=100", first.get("next").asText());
        assertThat(numbers(rest)).containsExactlyElementsOf(range(101, 120));

        assertThat(numbers(walk("limit=7"))).containsExactlyElementsOf(range(1, 120));
        assertThat(numbers(walk("limit=9&filter=user.fizz")))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).map(k -> 3 * k).boxed().toList());
        assertThat(numbers(walk("limit=5&since=" + q(records.get(64).time().toString()) + "&until="
                + q(records.get(75).time().toString())))).containsExactlyElementsOf(range(65, 75));

        jsm.deleteStream(STREAM);
        assertThat(numbers(walk("limit=50"))).as("without the stream the archive answers alone")
                .containsExactlyElementsOf(range(1, 120));
    }

    @Test
    void aCursorIntoARecreatedStreamFirstFinishesTheArchivedOldIncarnation() throws Exception {
        PersistentBus old = bus(0);
        List<ArchiveRecord> records = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            records.add(StreamRecords.emit(old, event(n)));
        }
        StreamRecords.archive(archive, records);
        JsonNode first = api.ok("/history?limit=8");
        assertThat(numbers(List.of(first))).containsExactlyElementsOf(range(1, 8));

        jsm.deleteStream(STREAM);
        emit(bus(0), 101, 105);
        List<JsonNode> rest = walk("limit=8", first.get("next").asText());

        assertThat(numbers(rest)).containsExactlyElementsOf(Stream.concat(range(9, 20).stream(),
                range(101, 105).stream()).toList());
        assertThat(rest).extracting(p -> p.get("events").size()).containsExactly(8, 8, 1);
    }

    @Test
    void undecodableMessagesAreListedWithTheirPlaceAndCountTowardsTheLimit() throws Exception {
        PersistentBus bus = bus(0);
        emit(bus, 1, 2);
        long bad = nc.jetStream().publish("events.user.count", "not json".getBytes(StandardCharsets.UTF_8))
                .getSeqno();
        emit(bus, 3, 4);

        List<JsonNode> pages = walk("limit=2");

        assertThat(pages).hasSize(3);
        assertThat(numbers(pages)).containsExactly(1, 2, 3, 4);
        assertThat(pages.get(1).get("events")).hasSize(1);
        JsonNode entry = pages.get(1).get("undecodable").get(0);
        assertThat(pages.get(1).get("undecodable")).hasSize(1);
        assertThat(entry.get("stream").asText()).isEqualTo(STREAM);
        assertThat(entry.get("sequence").asLong()).isEqualTo(bad).isEqualTo(3);
        assertThat(entry.get("subject").asText()).isEqualTo("events.user.count");
        assertThat(entry.get("bytes").asInt()).isEqualTo(8);
        assertThat(entry.get("reason").asText()).startsWith("not valid JSON");
        assertThat(Instant.parse(entry.get("time").asText()))
                .isEqualTo(jsm.getMessage(STREAM, bad).getTime().toInstant());
        assertThat(pages.get(0).get("undecodable")).isEmpty();
        assertThat(pages.get(2).get("undecodable")).isEmpty();
    }

    @Test
    void lastGivesExactlyTheLastEventOfEverySubject() throws Exception {
        PersistentBus bus = bus(0);
        for (int round = 1; round <= 3; round++) {
            for (String node : List.of("a", "b", "c")) {
                bus.emit(new Event("node.health." + node, node, null, Map.of("round", round)));
            }
        }
        bus.emit(new Event("node.joined", "d", null, Map.of("round", 1)));
        bus.emit(new Event("node.health.b", "b", null, Map.of("round", 4)));

        JsonNode health = api.ok("/history/last?filter=" + q("node.health.*"));
        assertThat(health.get("events")).extracting(e -> e.get("type").asText() + "=" + e.get("data").get("round"))
                .containsExactly("node.health.a=3", "node.health.c=3", "node.health.b=4");
        assertThat(health.get("undecodable")).isEmpty();
        assertThat(api.ok("/history/last?filter=" + q("node.>")).get("events"))
                .extracting(e -> e.get("type").asText())
                .containsExactly("node.health.a", "node.health.c", "node.joined", "node.health.b");
        assertThat(api.ok("/history/last?filter=tool.crashed").get("events")).isEmpty();
    }

    @Test
    void lastRefusesAFilterOverMoreThanAThousandSubjects() throws Exception {
        PersistentBus bus = bus(0);
        for (int i = 0; i <= LastEvents.MAX_SUBJECTS; i++) {
            bus.emitAsync(new Event("user.s" + i, "a", null, null));
        }
        bus.awaitInFlight(Duration.ofSeconds(30));

        HttpResponse<String> answer = api.get("/history/last?filter=user.*");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("reason").asText()).isEqualTo("filter events.user.*"
                + " matches 1001 subjects, more than the 1000 one answer covers: narrow it");
        assertThat(api.ok("/history/last?filter=user.s1000").get("events")).hasSize(1);
    }

    @Test
    void withoutTheStreamOrTheArchiveTheAnswerIsEmpty() throws Exception {
        assertThat(walk("")).singleElement().satisfies(p -> assertThat(p.get("events")).isEmpty());
        assertThat(api.ok("/history/last").get("events")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Creates the stream, keeping at most {@code maxMsgs} messages (0: no limit). */
    static PersistentBus bus(long maxMsgs) throws Exception {
        return PersistentBus.open(nc, "node-a", PersistConfig.defaults().withStreamName(STREAM)
                .withLimits(Duration.ofHours(1), maxMsgs));
    }

    static Event event(int n) {
        return Event.user("node-a", n % 3 == 0 ? "fizz" : "count", Map.of("n", n));
    }

    /** Stores events {@code from..to} in order, each acknowledged. */
    static void emit(PersistentBus bus, int from, int to) throws Exception {
        for (int n = from; n <= to; n++) {
            bus.emitAsync(event(n));
        }
        bus.awaitInFlight(Duration.ofSeconds(30));
    }

    /** The stored time of the stream's message {@code sequence}. */
    static Instant time(long sequence) throws Exception {
        return jsm.getMessage(STREAM, sequence).getTime().toInstant();
    }

    /** Every page of {@code query}, following next to its end. */
    static List<JsonNode> walk(String query) throws Exception {
        return walk(query, null);
    }

    /** Every page of {@code query} from {@code cursor} on ({@code null}: from the first). */
    static List<JsonNode> walk(String query, String cursor) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        String next = cursor;
        do {
            String params = query + (next == null ? "" : (query.isEmpty() ? "" : "&") + "cursor=" + q(next));
            JsonNode page = api.ok("/history" + (params.isEmpty() ? "" : "?" + params));
            pages.add(page);
            next = page.get("next").isNull() ? null : page.get("next").asText();
            assertThat(pages).as("pages of " + query).hasSizeLessThan(500);
        } while (next != null);
        return pages;
    }

    /** The {@code n} of every event of the pages, in order. */
    static List<Integer> numbers(List<JsonNode> pages) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode page : pages) {
            page.get("events").forEach(e -> out.add(e.get("data").get("n").asInt()));
        }
        return out;
    }

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
