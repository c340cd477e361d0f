package io.meshbridge.packaging;

import static io.meshbridge.packaging.ProjectFiles.list;
import static io.meshbridge.packaging.ProjectFiles.map;
import static io.meshbridge.packaging.ProjectFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example monitoring files: Prometheus scrape config and alert rules, Grafana provisioning and dashboard.
 * Their queries use only the metric names listed here ({@link #METRICS}), the names the worker's
 * {@code /observe/metrics} is to publish; a renamed metric shows up as a failure here.
 */
class MonitoringFilesTest {

    /** The worker's metrics the examples use, plus Prometheus' own {@code up}. */
    static final Set<String> METRICS = Set.of("mesh_connector_delivered_total", "mesh_connector_acknowledged_total",
            "mesh_connector_failed_total", "mesh_connector_dead_lettered_total", "mesh_connector_lag",
            "mesh_connector_ack_pending", "mesh_connector_stalled", "mesh_connector_gaps_total", "mesh_nats_connected",
            "up");

    private static final Pattern METRIC = Pattern.compile("\\b(mesh_[a-z_]+|up)\\b(?=\\s*[{\\[)=<>]|\\s*$)");

    @Test
    void prometheusScrapesTheWorkersMetricsAndLoadsTheRules() {
        Map<String, Object> prometheus = ProjectFiles.yaml("config/prometheus/prometheus.yml");
        assertThat(strings(prometheus, "rule_files")).containsExactly("/etc/prometheus/alerts.yml");
        Map<String, Object> job = map(list(prometheus, "scrape_configs").get(0), "scrape_configs[0]");
        assertThat(job).containsEntry("job_name", "mesh-bridge").containsEntry("metrics_path", "/observe/metrics");
        assertThat(strings(map(list(job, "static_configs").get(0), "static_configs[0]"), "targets"))
                .containsExactly("worker:8080");
    }

    @Test
    void everyAlertRuleIsCompleteAndUsesKnownMetrics() {
        Map<String, Object> rules = ProjectFiles.yaml("config/prometheus/alerts.yml");
        List<String> names = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (Object g : list(rules, "groups")) {
            Map<String, Object> group = map(g, "group");
            assertThat(group).containsKey("name");
            for (Object r : list(group, "rules")) {
                Map<String, Object> rule = map(r, "rule");
                assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
                names.add(String.valueOf(rule.get("alert")));
                assertThat(map(rule, "labels").get("severity")).isIn("critical", "warning", "info");
                assertThat(map(rule, "annotations")).containsKey("summary");
                String expr = String.valueOf(rule.get("expr"));
                assertThat(expr).contains("job=\"mesh-bridge\"");
                used.addAll(metrics(expr));
            }
        }
        assertThat(names).doesNotHaveDuplicates().contains("MeshBridgeWorkerDown", "MeshConnectorStalled",
                "MeshConnectorLagHigh", "MeshConnectorDeadLetters", "MeshBridgeNatsDisconnected");
        assertThat(METRICS).containsAll(used);
        assertThat(used).contains("mesh_connector_stalled", "mesh_connector_lag", "mesh_connector_ack_pending");
    }

    @Test
    void theDashboardQueriesThePrometheusDataSourceWithKnownMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper()
                .readTree(ProjectFiles.read("config/grafana/dashboards/mesh-bridge.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("mesh-bridge");
        Map<String, Object> datasources = ProjectFiles.yaml("config/grafana/provisioning/datasources/prometheus.yml");
        String datasourceUid = String.valueOf(map(list(datasources, "datasources").get(0), "datasource").get("uid"));
        Set<String> used = new LinkedHashSet<>();
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(datasourceUid);
            assertThat(panel.path("targets").size()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                used.addAll(metrics(target.path("expr").asText()));
            }
        }
        assertThat(ids).hasSize(6);
        assertThat(METRICS).containsAll(used);
        assertThat(used).contains("mesh_connector_delivered_total", "mesh_connector_lag", "mesh_connector_ack_pending");
        Map<String, Object> provider = map(list(ProjectFiles.yaml(
                "config/grafana/provisioning/dashboards/mesh-bridge.yml"), "providers").get(0), "provider");
        assertThat(map(provider, "options")).containsEntry("path", "/var/lib/grafana/dashboards");
    }

    static Set<String> metrics(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("metrics in " + expr).isNotEmpty();
        return names;
    }
}
