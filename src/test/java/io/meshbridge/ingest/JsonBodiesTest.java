package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** Request bodies: one JSON object within the size and depth limits, numbers exact. */
class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies(1024, 4);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anObjectWithExactNumbers() throws Exception {
        Map<String, Object> m = bodies.object(b("{\"n\":1,\"big\":123456789012345678901234567890,\"f\":0.1,"
                + "\"l\":[true,null,\"x\"],\"o\":{\"p\":{}}}"));
        assertThat(m).containsEntry("n", 1).containsEntry("big", new BigInteger("123456789012345678901234567890"))
                .containsEntry("f", new BigDecimal("0.1")).containsEntry("l", java.util.Arrays.asList(true, null, "x"));
        assertThat(m.keySet()).containsExactly("n", "big", "f", "l", "o");
    }

    @Test
    void everythingElseIsRefusedWithTheReason() {
        refused(() -> bodies.object(b("")), 400, "body is empty: expected a JSON object");
        refused(() -> bodies.object(b("[1]")), 400, "body must be a JSON object, was an array");
        refused(() -> bodies.object(b("\"x\"")), 400, "body must be a JSON object, was a string");
        refused(() -> bodies.object(b("null")), 400, "body must be a JSON object, was null");
        refused(() -> bodies.object(b("{\"a\":1} {\"b\":2}")), 400, "invalid JSON: more after the object (at byte 8)");
        refused(() -> bodies.object(b("{\"a\":}")), 400, "invalid JSON: Unexpected character ('}'");
        refused(() -> bodies.object(b("{\"a\":1")), 400, "invalid JSON: Unexpected end-of-input");
        refused(() -> bodies.object(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}), 400, "invalid JSON: Invalid UTF-8");
        refused(() -> bodies.object(b("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}")), 400, "body is nested deeper than 4 levels");
        refused(() -> bodies.object(b("{\"a\":[[[[1]]]]}")), 400, "body is nested deeper than 4 levels");
        refused(() -> bodies.object(b("{\"a\":\"" + "x".repeat(1100) + "\"}")), 413,
                "body of 1108 bytes is larger than the limit of 1024 bytes");
    }

    @Test
    void theDepthLimitIsInclusive() throws Exception {
        assertThat(bodies.object(b("{\"a\":{\"b\":{\"c\":[1]}}}"))).containsKey("a");
        assertThat(bodies.object(b("{\"a\":[" + "1,".repeat(100) + "1]}")).get("a")).asList().hasSize(101);
        assertThat(List.of()).isEmpty();
    }

    private static void refused(ThrowableAssert.ThrowingCallable call, int status, String reasonStart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IngestFailure.class, f -> {
            assertThat(f.status()).isEqualTo(status);
            assertThat(f.getMessage()).startsWith(reasonStart);
        });
    }
}
