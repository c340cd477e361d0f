package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of {@code dlq ls}; no I/O. */
class DlqTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String print(List<JsonNode> letters, long total, boolean more) {
        StringWriter out = new StringWriter();
        DlqTable.print(new PrintWriter(out, true), letters, total, more);
        return out.toString();
    }

    @Test
    void rowsAreAlignedAndTheErrorIsShortened() throws Exception {
        JsonNode a = JSON.readTree("{\"id\":\"7\",\"route\":\"hook\",\"attempts\":11,\"time\":\"2026-12-01T10:00:00.123Z\","
                + "\"error\":\"io.meshbridge.webhook.camel.WebhookFailedException: HTTP 503 from https://ops.example\"}");
        JsonNode b = JSON.readTree("{\"id\":\"1234\",\"route\":\"archive-events\",\"attempts\":null,"
                + "\"time\":\"2026-12-01T10:00:01Z\",\"error\":\"" + "e".repeat(80) + "\"}");
        assertThat(print(List.of(a, b), 5, true)).isEqualTo("""
                  ID  ROUTE           ATTEMPTS  DEAD-LETTERED         ERROR
                   7  hook                  11  2026-12-01T10:00:00Z  WebhookFailedException: HTTP 503 from https://ops.example
                1234  archive-events         ?  2026-12-01T10:00:01Z  %s…
                2 of 5 dead letters (--all lists every one)
                """.formatted("e".repeat(DlqTable.ERROR_WIDTH - 1)));
        assertThat(print(List.of(a), 1, false)).endsWith("\n1 dead letter\n");
        assertThat(print(List.of(), 0, false)).isEqualTo("no dead letters\n");
    }

    @Test
    void onlyAQualifiedClassNameLosesItsPackage() {
        assertThat(DlqTable.error("java.lang.IllegalStateException")).isEqualTo("IllegalStateException");
        assertThat(DlqTable.error("delivered 6 times, more than maxDeliver=5: an earlier attempt"))
                .isEqualTo("delivered 6 times, more than maxDeliver=5: an earlier attempt");
        assertThat(DlqTable.error("the route marked the exchange for rollback"))
                .isEqualTo("the route marked the exchange for rollback");
    }
}
