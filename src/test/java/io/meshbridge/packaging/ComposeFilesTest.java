package io.meshbridge.packaging;

import static io.meshbridge.packaging.ProjectFiles.map;
import static io.meshbridge.packaging.ProjectFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The structure of docker-compose.yml and docker-compose.cluster.yml, read as YAML (no container engine
 * needed): services and their health checks, start order on healthy dependencies, volumes, and workers
 * configured with real {@code mesh.*} keys pointing at the compose file's NATS services.
 */
class ComposeFilesTest {

    private static final Set<String> MESH_ENV = ProjectFiles.meshEnvironmentNames();

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void everyReferenceResolves(String file) {
        Map<String, Object> compose = ProjectFiles.yaml(file);
        Map<String, Object> services = map(compose, "services");
        Set<String> declaredVolumes = map(compose, "volumes").keySet();
        Set<String> usedVolumes = new HashSet<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue(), e.getKey());
            assertThat(service).as(e.getKey()).containsKey("image");
            if (service.containsKey("depends_on")) {
                for (Map.Entry<String, Object> dep : map(service, "depends_on").entrySet()) {
                    assertThat(services).as(e.getKey() + " depends on").containsKey(dep.getKey());
                    String condition = String.valueOf(map(dep.getValue(), dep.getKey()).get("condition"));
                    assertThat(condition).isIn("service_healthy", "service_started");
                    if (condition.equals("service_healthy")) {
                        Map<String, Object> target = map(services, dep.getKey());
                        assertThat(target.containsKey("healthcheck") || target.get("build") != null
                                || String.valueOf(target.get("image")).startsWith("mesh-bridge"))
                                .as(dep.getKey() + " has a health check (its own or the image's)").isTrue();
                    }
                }
            }
            for (String volume : service.containsKey("volumes") ? strings(service, "volumes") : List.<String>of()) {
                String source = volume.substring(0, volume.indexOf(':'));
                if (source.startsWith("./")) {
                    assertThat(Path.of(source)).as(e.getKey() + " mounts").exists();
                } else {
                    usedVolumes.add(source);
                }
            }
        }
        assertThat(usedVolumes).containsExactlyInAnyOrderElementsOf(declaredVolumes);
    }

    @Test
    void theSingleNodeNatsHasJetStreamOnAFileStoreAConfigAndAHealthCheck() {
        Map<String, Object> nats = service("docker-compose.yml", "nats");
        assertNats(nats, "./config/nats/nats-server.conf");
        assertThat(ProjectFiles.read("config/nats/nats-server.conf")).contains("jetstream", "store_dir: /data",
                "http_port: 8222");
    }

    @Test
    void theWorkerWaitsForHealthyNatsAndUsesIt() {
        Map<String, Object> compose = ProjectFiles.yaml("docker-compose.yml");
        Map<String, Object> worker = service("docker-compose.yml", "worker");
        assertThat(worker.get("build")).isEqualTo(".");
        assertThat(map(map(worker, "depends_on"), "nats")).containsEntry("condition", "service_healthy");
        Map<String, Object> env = map(worker, "environment");
        assertThat(env).containsEntry("MESH_NATS_URL", "nats://nats:4222").containsEntry("MESH_NATS_EMBEDDED", "never")
                .containsEntry("MESH_ARCHIVE_WORKER_ID", "worker-1");
        assertMeshKeys(env);
        assertThat(strings(worker, "volumes")).contains("archive:/app/data/archive",
                "./config/compose/webhook-crashes.yaml:/app/routes/webhook-crashes.yaml:ro");
        assertThat(String.valueOf(worker.get("stop_grace_period"))).isEqualTo("40s");
        assertThat(map(compose, "services")).containsKeys("webhook", "prometheus", "grafana");
        assertThat(strings(service("docker-compose.yml", "prometheus"), "profiles")).containsExactly("monitoring");
        assertThat(strings(service("docker-compose.yml", "grafana"), "profiles")).containsExactly("monitoring");
    }

    @Test
    void theWebhookRoutePostsToTheComposeReceiver() {
        Map<String, Object> webhook = service("docker-compose.yml", "webhook");
        assertThat(map(webhook, "environment")).containsEntry("HTTP_PORT", "8080");
        assertThat(ProjectFiles.read("config/compose/webhook-crashes.yaml"))
                .contains("routeTemplateRef: mesh-webhook", "{{env:WEBHOOK_URL:http://webhook:8080/hooks/crashes}}",
                        "value: events.tool.crashed");
    }

    @Test
    void theClusterHasThreeNatsNodesAndTwoWorkersWithThreeReplicasAndTheirOwnArchiveIds() {
        String file = "docker-compose.cluster.yml";
        List<String> nodes = List.of("nats-1", "nats-2", "nats-3");
        Set<String> dataVolumes = new HashSet<>();
        for (String node : nodes) {
            Map<String, Object> nats = service(file, node);
            assertNats(nats, "./config/nats/cluster.conf");
            assertThat(map(nats, "environment")).containsEntry("NATS_SERVER_NAME", node);
            dataVolumes.add(strings(nats, "volumes").stream().filter(v -> v.endsWith(":/data")).findFirst()
                    .orElseThrow());
        }
        assertThat(dataVolumes).hasSize(3);
        String conf = ProjectFiles.read("config/nats/cluster.conf");
        for (String node : nodes) {
            assertThat(conf).contains("nats://" + node + ":6222");
        }
        assertThat(conf).contains("server_name: $NATS_SERVER_NAME", "store_dir: /data");

        List<String> archiveIds = new ArrayList<>();
        List<String> hostPorts = new ArrayList<>();
        for (String name : List.of("worker-1", "worker-2")) {
            Map<String, Object> worker = service(file, name);
            for (String node : nodes) {
                assertThat(map(map(worker, "depends_on"), node)).containsEntry("condition", "service_healthy");
            }
            Map<String, Object> env = map(worker, "environment");
            assertMeshKeys(env);
            assertThat(env).containsEntry("MESH_STREAM_REPLICAS", "3").containsEntry("MESH_NATS_EMBEDDED", "never")
                    .containsEntry("MESH_NATS_URL", "nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222");
            archiveIds.add(String.valueOf(env.get("MESH_ARCHIVE_WORKER_ID")));
            hostPorts.add(strings(worker, "ports").get(0).split(":")[0]);
            assertThat(strings(worker, "volumes")).contains("cluster-archive:/app/data/archive");
        }
        assertThat(archiveIds).containsExactly("worker-1", "worker-2");
        assertThat(hostPorts).doesNotHaveDuplicates();
    }

    private static void assertNats(Map<String, Object> nats, String config) {
        String image = String.valueOf(nats.get("image"));
        assertThat(image).matches("nats:2\\.(1[0-9])(\\.\\d+)?-alpine");
        assertThat(strings(nats, "command")).containsExactly("nats-server", "--config",
                "/etc/nats/" + Path.of(config).getFileName());
        assertThat(strings(nats, "volumes")).contains(config + ":/etc/nats/" + Path.of(config).getFileName() + ":ro")
                .anyMatch(v -> v.endsWith(":/data") && !v.startsWith("./"));
        Map<String, Object> health = map(nats, "healthcheck");
        assertThat(strings(health, "test")).startsWith("CMD", "wget")
                .last().asString().isEqualTo("http://127.0.0.1:8222/healthz?js-enabled-only=true");
        assertThat(health).containsKeys("interval", "timeout", "retries");
        assertThat(Files.isRegularFile(Path.of(config))).isTrue();
    }

    /** Every MESH_ variable names a documented key: a typo would be ignored silently by the worker. */
    private static void assertMeshKeys(Map<String, Object> env) {
        for (String name : env.keySet()) {
            if (name.startsWith("MESH_")) {
                assertThat(MESH_ENV).as("environment variable %s names a mesh.* key", name).contains(name);
            }
        }
        for (Object value : env.values()) {
            assertThat(value).as("environment values are strings, as compose passes them").isInstanceOf(String.class);
        }
    }

    private static Map<String, Object> service(String file, String name) {
        return map(map(ProjectFiles.yaml(file), "services"), name);
    }
}
