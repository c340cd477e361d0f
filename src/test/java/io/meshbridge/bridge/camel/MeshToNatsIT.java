package io.meshbridge.bridge.camel;

import static io.meshbridge.bridge.camel.BridgeTests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.NatsServer;
import io.meshbridge.testing.NatsServerExtension;
import io.meshbridge.testing.TestPki;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mesh-to-nats} template between two real nats-servers (the mesh's, and a second one started by the
 * test): 10,000 events exactly once and in order in both modes, the remote restarted in the middle (nothing
 * lost, nothing stored twice), the loop guard on a two-way bridge between two meshes, and a remote with TLS and a
 * password that never shows in a URI.
 */
class MeshToNatsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_TO_NATS";
    private static final Duration LONG = Duration.ofSeconds(120);
    private static Connection nc;
    private static NatsServer remote;
    private static Connection rc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        remote = NatsServer.builder().name("nats-remote").start();
        rc = remote.connect();
    }

    @AfterAll
    static void tearDown() throws Exception {
        rc.close();
        remote.close();
    }

    private static void remoteStream(String name, String subjects) throws Exception {
        rc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(subjects)
                .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2)).build());
    }

    private static Map<String, String> route(String filter, String prefix, String mode) {
        return params("filter", filter, "servers", remote.url(), "subjectPrefix", prefix, "mode", mode,
                "deliverPolicy", "all", "retrySchedule", "200ms,1s", "maxAttempts", "50", "ackTimeout", "2s");
    }

    private static List<Integer> numbers(List<MessageInfo> messages) {
        List<Integer> out = new ArrayList<>();
        messages.forEach(m -> out.add(BridgeTests.numberOf(m.getData())));
        return out;
    }

    private static List<Integer> zeroTo(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void tenThousandEventsArriveOnceInOrderConfirmedByPubAck() throws Exception {
        remoteStream("REMOTE_J1", "j1.>");
        BridgeTests.publish(nc, "tool.j1", 0, 10_000, Map.of());
        try (CamelContext ctx = BridgeTests.context(nc, STREAM, "mesh-to-nats", "to-nats-j1",
                route("events.tool.j1", "j1.", "jetstream"))) {
            NotifyBuilder done = new NotifyBuilder(ctx).fromRoute("to-nats-j1").whenCompleted(10_000).create();
            ctx.start();
            assertThat(done.matches(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            MeshTests.awaitDrained(nc, STREAM, "to-nats-j1", 10_000);
            List<MessageInfo> got = MeshTests.messages(rc, "REMOTE_J1", null);
            assertThat(numbers(got)).isEqualTo(zeroTo(10_000));
            MessageInfo first = got.get(0);
            assertThat(first.getSubject()).isEqualTo("j1.tool.j1");
            assertThat(first.getData()).isEqualTo(BridgeTests.event("tool.j1", 0));
            assertThat(first.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("tool.j1-0");
            assertThat(first.getHeaders().getFirst(MeshOrigin.HEADER)).isEqualTo(MeshOrigin.derivedId(STREAM,
                    nc.jetStreamManagement().getStreamInfo(STREAM).getCreateTime().toInstant()));
        }
    }

    @Test
    void coreModeConfirmedByFlushDeliversTenThousandInOrder() throws Exception {
        remoteStream("REMOTE_C1", "c1.>");
        BridgeTests.publish(nc, "tool.c1", 0, 10_000, Map.of());
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-nats", "to-nats-c1",
                route("events.tool.c1", "c1.", "core"))) {
            MeshTests.awaitDrained(nc, STREAM, "to-nats-c1", 10_000);
            await().atMost(LONG).until(() -> rc.jetStreamManagement().getStreamInfo("REMOTE_C1").getStreamState()
                    .getMsgCount() >= 10_000);
            assertThat(numbers(MeshTests.messages(rc, "REMOTE_C1", null))).isEqualTo(zeroTo(10_000));
        }
    }

    @Test
    void theRemoteRestartedInTheMiddleLosesNothingAndStoresNothingTwice() throws Exception {
        remoteStream("REMOTE_R1", "r1.>");
        BridgeTests.publish(nc, "tool.r1", 0, 10_000, Map.of());
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-nats", "to-nats-r1",
                route("events.tool.r1", "r1.", "jetstream"))) {
            await().atMost(LONG).until(() -> rc.jetStreamManagement().getStreamInfo("REMOTE_R1").getStreamState()
                    .getMsgCount() >= 3_000);
            remote.restart();
            MeshTests.awaitDrained(nc, STREAM, "to-nats-r1", 10_000);
            List<Integer> got = numbers(MeshTests.messages(rc, "REMOTE_R1", null));
            BridgeEndpoint bridge = (BridgeEndpoint) ctx.getEndpoints().stream()
                    .filter(e -> e instanceof BridgeEndpoint).findFirst().orElseThrow();
            System.out.printf("mesh-to-nats remote restart: %d sends failed and were retried%n",
                    bridge.counts().failedCount());
            // every resend carries the event's id as Nats-Msg-Id: the remote stream's duplicate window (2 min)
            // drops it, so the remote holds each event exactly once however many sends the restart cost
            assertThat(new HashSet<>(got)).hasSize(10_000);
            assertThat(got).hasSize(10_000);
            assertThat(bridge.counts().confirmedCount()).isEqualTo(10_000);
        }
    }

    @Test
    void aTwoWayBridgeBetweenTwoMeshesDoesNotEcho() throws Exception {
        remoteStream("MESH_B", "events.>");
        String a2b = "a-to-b";
        String b2a = "b-to-a";
        Map<String, String> toB = route("events.loop.>", "events.", "jetstream");
        Map<String, String> toA = route("events.loop.>", "events.", "jetstream");
        toA.put("servers", NATS.url());
        BridgeTests.publish(nc, "loop.a", 0, 100, Map.of());
        BridgeTests.publish(rc, "loop.b", 0, 100, Map.of());
        try (CamelContext inA = BridgeTests.start(nc, STREAM, "mesh-to-nats", a2b, toB);
             CamelContext inB = BridgeTests.start(rc, "MESH_B", "mesh-to-nats", b2a, toA)) {
            await().atMost(LONG).until(() -> BridgeTests.count(nc, STREAM, "events.loop.b") == 100
                    && BridgeTests.count(rc, "MESH_B", "events.loop.a") == 100);
            // both durables drained: every event, the bridged copies included, has been through both routes
            MeshTests.awaitDrained(nc, STREAM, a2b, 200);
            MeshTests.awaitDrained(rc, "MESH_B", b2a, 200);
            assertThat(BridgeTests.count(nc, STREAM, "events.loop.a")).isEqualTo(100);
            assertThat(BridgeTests.count(nc, STREAM, "events.loop.b")).isEqualTo(100);
            assertThat(BridgeTests.count(rc, "MESH_B", "events.loop.a")).isEqualTo(100);
            assertThat(BridgeTests.count(rc, "MESH_B", "events.loop.b")).isEqualTo(100);
            String idA = MeshOrigin.derivedId(STREAM, nc.jetStreamManagement().getStreamInfo(STREAM)
                    .getCreateTime().toInstant());
            assertThat(BridgeTests.messages(rc, "MESH_B", "events.loop.a"))
                    .allMatch(m -> idA.equals(m.getHeaders().getFirst(MeshOrigin.HEADER)));
            assertThat(BridgeTests.messages(nc, STREAM, "events.loop.a"))
                    .allMatch(m -> !m.hasHeaders() || m.getHeaders().getFirst(MeshOrigin.HEADER) == null);
            BridgeCounts aCounts = counts(inA);
            BridgeCounts bCounts = counts(inB);
            assertThat(aCounts.confirmedCount()).isEqualTo(100);
            assertThat(aCounts.bridgedCount()).isEqualTo(100);
            assertThat(bCounts.confirmedCount()).isEqualTo(100);
            assertThat(bCounts.bridgedCount()).isEqualTo(100);
        }
    }

    private static BridgeCounts counts(CamelContext ctx) {
        return ((BridgeEndpoint) ctx.getEndpoints().stream().filter(e -> e instanceof BridgeEndpoint).findFirst()
                .orElseThrow()).counts();
    }

    @Test
    void aRemoteWithTlsAndAPasswordKeepsThePasswordOutOfEveryUri() throws Exception {
        TestPki pki = TestPki.create(dir);
        String password = "s3cret-" + System.nanoTime();
        try (NatsServer secured = NatsServer.builder().name("nats-remote-tls").config("""
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  ca_file: "%s"
                }
                authorization { user: bridge, password: "%s" }
                """.formatted(pki.serverCert, pki.serverKey, pki.caCert, password)).awaitJetStream(false).start()) {
            io.meshbridge.events.NatsConnectionConfig cfg = new io.meshbridge.events.NatsConnectionConfig(
                    List.of(secured.url()), "bridge", new io.meshbridge.events.Secret(password), null, null, null,
                    new io.meshbridge.events.TlsConfig(true, pki.caCert, null, null, null, null, null, null, false),
                    null);
            try (Connection sc = cfg.connect("test", new io.meshbridge.events.ConnectionEvents())) {
                await().atMost(LONG).ignoreExceptions().until(() -> {
                    sc.jetStreamManagement().addStream(StreamConfiguration.builder().name("SECURED")
                            .subjects("s1.>").build());
                    return true;
                });
                BridgeTests.publish(nc, "tool.s1", 0, 10, Map.of());
                Map<String, String> p = route("events.tool.s1", "s1.", "jetstream");
                p.put("servers", secured.url().replace("nats://", "tls://"));
                p.put("user", "bridge");
                p.put("password", password);
                p.put("tlsCa", pki.caCert.toString());
                try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-nats", "to-nats-s1", p)) {
                    MeshTests.awaitDrained(nc, STREAM, "to-nats-s1", 10);
                    assertThat(numbers(MeshTests.messages(sc, "SECURED", null))).isEqualTo(zeroTo(10));
                    for (Endpoint e : ctx.getEndpoints()) {
                        assertThat(e.getEndpointUri()).doesNotContain(password);
                    }
                    assertThat(ctx.getRoute("to-nats-s1").getEndpoint().getEndpointUri()).doesNotContain(password);
                }
            }
        }
    }
}
