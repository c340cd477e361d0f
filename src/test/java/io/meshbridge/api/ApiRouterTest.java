package io.meshbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The router: templates, path parameters, 404, 405, unknown query parameters, and the request's parameter checks. */
class ApiRouterTest {

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final ApiRouter router = new ApiRouter()
            .add("GET", "/connectors", "list", r -> ApiResponse.ok(ApiJson.object().put("op", "list")))
            .add("GET", "/dlq", Set.of("route", "limit"), "page", r -> {
                handled.add(r.path() + " " + r.query());
                return ApiResponse.ok(ApiJson.object());
            })
            .add("GET", "/connectors/{id}", "one", r -> ApiResponse.ok(ApiJson.object().put("id", r.pathParam("id"))))
            .add("POST", "/connectors/{id}/pause", "pause",
                    r -> ApiResponse.ok(ApiJson.object().put("paused", r.pathParam("id"))));

    @Test
    void literalAndParameterSegmentsMatch() throws Exception {
        assertThat(router.dispatch("GET", "/connectors", Map.of(), null).body().get("op").asText()).isEqualTo("list");
        assertThat(router.dispatch("get", "/connectors/archive", Map.of(), null).body().get("id").asText())
                .isEqualTo("archive");
        assertThat(router.dispatch("POST", "/connectors/a%2Fb/pause", Map.of(), null).body().get("paused").asText())
                .as("a percent-encoded slash stays inside its segment").isEqualTo("a/b");
    }

    @Test
    void anUnknownPathIs404AndAWrongMethod405NamingTheAllowedOnes() {
        assertThatThrownBy(() -> router.dispatch("GET", "/nothing", Map.of(), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("/api/nothing");
        assertThatThrownBy(() -> router.dispatch("GET", "/connectors/x/pause", Map.of(), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(405))
                .hasMessageContaining("allowed: POST");
        assertThatThrownBy(() -> router.dispatch("GET", "/connectors//pause", Map.of(), null))
                .as("an empty parameter segment matches nothing")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aQueryParameterTheOperationDoesNotTakeIs400NamingItBeforeTheOperationRuns() throws Exception {
        assertThatThrownBy(() -> router.dispatch("GET", "/dlq", Map.of("limit", "5", "rout", "a", "b", "1"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("unknown parameter b (known: limit, route)");
        assertThatThrownBy(() -> router.dispatch("GET", "/connectors", Map.of("limit", "5"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("unknown parameter limit (this operation takes none)");
        assertThatThrownBy(() -> router.dispatch("POST", "/connectors/x/pause", Map.of("reason", "r"), null))
                .hasMessage("unknown parameter reason (this operation takes none)");
        assertThatThrownBy(() -> router.dispatch("GET", "/connectors", Map.of("a\nb", ""), null))
                .as("the name is echoed printable").hasMessage("unknown parameter a?b (this operation takes none)");
        assertThat(handled).isEmpty();

        router.dispatch("GET", "/dlq", Map.of("route", "a"), null);
        router.dispatch("GET", "/dlq", Map.of(), null);
        assertThat(handled).containsExactly("/dlq {route=a}", "/dlq {}");
        assertThat(router.operations().get(1).query()).containsExactlyInAnyOrder("route", "limit");
        assertThat(router.operations().get(0).query()).isEmpty();
    }

    @Test
    void aParameterGivenTwiceIs400OnceThePathIsAnOperationThatTakesIt() throws Exception {
        java.util.Set<String> twice = java.util.Set.of("limit");
        assertThatThrownBy(() -> router.dispatch("GET", "/dlq", Map.of("limit", "5"), twice, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("parameter limit is given more than once");
        assertThatThrownBy(() -> router.dispatch("GET", "/nothing", Map.of("limit", "5"), twice, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> router.dispatch("GET", "/connectors", Map.of("limit", "5"), twice, null))
                .as("unknown first").hasMessage("unknown parameter limit (this operation takes none)");
        assertThat(handled).isEmpty();
    }

    @Test
    void anOperationIsAddedOnce() {
        assertThatThrownBy(() -> router.add("GET", "/connectors", "again", r -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /connectors");
        assertThatThrownBy(() -> new ApiRouter().add("GET", "connectors/", "bad", r -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parametersAreCheckedAndNamed() {
        ApiRequest r = new ApiRequest("GET", "/x", Map.of(), Map.of("limit", "5000", "since", "yesterday",
                "n", "7"), null);
        assertThat(r.intParam("n", 1, 10, 3)).isEqualTo(7);
        assertThat(r.intParam("absent", 1, 10, 3)).isEqualTo(3);
        assertThatThrownBy(() -> r.intParam("limit", 1, 1000, 100))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("limit must be an integer from 1 to 1000, was '5000'");
        assertThatThrownBy(() -> r.timeParam("since"))
                .hasMessageStartingWith("since must be an RFC 3339 time");
        assertThat(r.timeParam("until")).isNull();
    }

    @Test
    void aBodyMustBeAJsonObject() {
        assertThat(new ApiRequest("POST", "/x", Map.of(), Map.of(), new byte[0]).jsonBody().isEmpty()).isTrue();
        assertThat(new ApiRequest("POST", "/x", Map.of(), Map.of(), "{\"a\":1}".getBytes()).jsonBody().get("a")
                .asInt()).isEqualTo(1);
        assertThatThrownBy(() -> new ApiRequest("POST", "/x", Map.of(), Map.of(), "[1]".getBytes()).jsonBody())
                .hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> new ApiRequest("POST", "/x", Map.of(), Map.of(), "{".getBytes()).jsonBody())
                .hasMessageStartingWith("the body is not valid JSON");
    }

    @Test
    void echoedTextIsMadePrintableAndShort() {
        assertThat(ApiJson.printable("a\nb")).isEqualTo("a?b");
        assertThat(ApiJson.printable("x".repeat(300))).hasSize(101);
        java.util.Set<String> repeated = new java.util.TreeSet<>();
        assertThat(ApiProcessor.query("a=1&b=x%20y&&c&a=2", repeated)).containsExactly(Map.entry("a", "1"),
                Map.entry("b", "x y"), Map.entry("c", ""));
        assertThat(repeated).containsExactly("a");
    }
}
