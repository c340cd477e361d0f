package io.meshbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerBinary;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose files' nats-server configurations run by a real nats-server (the harness's binary): valid,
 * JetStream on a file store, healthy on the URL the compose health checks probe; the cluster configuration
 * forms a three-node JetStream cluster that takes a stream with three replicas. Only what a container
 * provides is replaced: the store directory ({@code /data}) by a temporary one, the nodes' host names by
 * loopback ports.
 */
class NatsConfigIT {

    private static final Pattern MONITORING = Pattern.compile("\"monitoring\":\\[\"(http://[^\"]+)\"");
    private static final Pattern CLIENT = Pattern.compile("\"nats\":\\[\"(nats://[^\"]+)\"");
    private static final String HEALTH = "/healthz?js-enabled-only=true";

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void bothConfigurationsAreValidAndTheClusterOneNeedsItsServerName() throws Exception {
        assertThat(check("config/nats/nats-server.conf", Map.of())).isZero();
        assertThat(check("config/nats/cluster.conf", Map.of("NATS_SERVER_NAME", "nats-1"))).isZero();
        assertThat(check("config/nats/cluster.conf", Map.of())).isNotZero();
    }

    @Test
    void theSingleNodeServesJetStreamOnAFileStoreAndAnswersTheHealthCheck() throws Exception {
        Path store = dir.resolve("store");
        Path conf = Files.writeString(dir.resolve("nats.conf"), ProjectFiles.read("config/nats/nats-server.conf")
                .replace("store_dir: /data", "store_dir: \"" + store + "\""));
        Node node = start("nats", conf, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(node.monitoring + HEALTH) == 200);
        assertThat(get(node.monitoring + "/varz")).contains("\"server_name\": \"nats\"");
        try (Connection nc = Nats.connect(node.client)) {
            StreamInfo info = nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CHECK")
                    .subjects("check.>").build());
            assertThat(info.getConfiguration().getStorageType().toString()).isEqualToIgnoringCase("file");
        }
        assertThat(store.resolve("jetstream")).isDirectory();
    }

    @Test
    void theClusterConfigurationFormsAThreeNodeClusterForThreeReplicas() throws Exception {
        int[] routePorts = {freePort(), freePort(), freePort()};
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String text = ProjectFiles.read("config/nats/cluster.conf")
                    .replace("store_dir: /data", "store_dir: \"" + dir.resolve("store-" + i) + "\"")
                    .replace("port: 6222", "port: " + routePorts[i - 1]);
            for (int j = 1; j <= 3; j++) {
                text = text.replace("nats://nats-" + j + ":6222", "nats://127.0.0.1:" + routePorts[j - 1]);
            }
            assertThat(text).doesNotContain("nats-1:", "6222");
            Path conf = Files.writeString(dir.resolve("cluster-" + i + ".conf"), text);
            nodes.add(start("nats-" + i, conf, Map.of("NATS_SERVER_NAME", "nats-" + i)));
        }
        for (Node node : nodes) {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(node.monitoring + HEALTH) == 200);
        }
        try (Connection nc = Nats.connect(nodes.get(0).client)) {
            StreamInfo info = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CHECK3")
                            .subjects("check3.>").replicas(3).build()), i -> i != null);
            assertThat(info.getConfiguration().getReplicas()).isEqualTo(3);
            assertThat(info.getClusterInfo().getName()).isEqualTo("mesh");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var cluster = nc.jetStreamManagement().getStreamInfo("CHECK3").getClusterInfo();
                return cluster.getLeader() != null && cluster.getReplicas() != null
                        && cluster.getReplicas().size() == 2;
            });
        }
    }

    private record Node(String client, String monitoring) {
    }

    private int check(String config, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(binary(), "-c", config, "-t").redirectErrorStream(true);
        builder.environment().remove("NATS_SERVER_NAME");
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Node start(String name, Path conf, Map<String, String> env) throws IOException {
        Path ports = Files.createDirectories(dir.resolve("ports-" + name));
        ProcessBuilder builder = new ProcessBuilder(binary(), "-c", conf.toString(), "-a", "127.0.0.1", "-p", "-1",
                "-m", "-1", "--ports_file_dir", ports.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        servers.add(builder.start());
        String text = await().atMost(Duration.ofSeconds(30)).until(() -> portsFile(ports), t -> t != null
                && MONITORING.matcher(t).find() && CLIENT.matcher(t).find());
        Matcher m = MONITORING.matcher(text);
        Matcher c = CLIENT.matcher(text);
        assertThat(m.find() && c.find()).isTrue();
        return new Node(c.group(1), m.group(1));
    }

    private static String portsFile(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            Path file = files.filter(p -> p.toString().endsWith(".ports")).findFirst().orElse(null);
            return file == null ? null : Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String binary() {
        return NatsServerBinary.require().path().toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
