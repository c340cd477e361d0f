package io.meshbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.Replica;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves the test harness: private servers, JetStream, crash and restart, and a three-node cluster. */
class NatsServerHarnessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void startsAPrivateServerAndRoundTripsAMessage(NatsServer server, Connection nc) throws Exception {
        assertThat(server.isRunning()).isTrue();
        assertThat(server.port()).isNotEqualTo(4222);
        assertThat(NATS.url()).isEqualTo("nats://127.0.0.1:" + server.port()).isEqualTo(server.url());
        assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(server.versionAtLeast(2, 9, 0)).isTrue();
        assertThat(nc.getConnectedUrl()).isEqualTo(server.url());

        String subject = NATS.uniqueName("harness.roundtrip");
        Subscription sub = nc.subscribe(subject);
        nc.flush(Duration.ofSeconds(5));
        nc.publish(subject, "hello".getBytes(StandardCharsets.UTF_8));
        Message msg = sub.nextMessage(Duration.ofSeconds(5));

        assertThat(msg).isNotNull();
        assertThat(msg.getSubject()).isEqualTo(subject);
        assertThat(new String(msg.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void createsAJetStreamStream() throws Exception {
        Connection nc = NATS.connect();
        String stream = NATS.uniqueName("HARNESS");
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".>")
                .storageType(StorageType.File).build());
        JetStream js = nc.jetStream();

        PublishAck first = js.publish(stream + ".a", "1".getBytes(StandardCharsets.UTF_8));
        PublishAck second = js.publish(stream + ".b", "2".getBytes(StandardCharsets.UTF_8));

        assertThat(first.getStream()).isEqualTo(stream);
        assertThat(first.getSeqno()).isEqualTo(1);
        assertThat(second.getSeqno()).isEqualTo(2);
        StreamInfo info = jsm.getStreamInfo(stream);
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(info.getConfiguration().getSubjects()).containsExactly(stream + ".>");
        assertThat(NATS.uniqueName("HARNESS")).isNotEqualTo(stream).startsWith("HARNESS_");
    }

    @Test
    void killedServerRestartsOnTheSamePortWithItsStoreAndClientsReconnect() throws Exception {
        try (NatsServer server = NatsServer.startDefault()) {
            Reconnects reconnects = new Reconnects();
            try (Connection nc = io.nats.client.Nats.connect(server.clientOptions()
                    .connectionListener(reconnects).build())) {
                int port = server.port();
                String stream = NATS.uniqueName("CRASH");
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream)
                        .subjects(stream + ".*").storageType(StorageType.File).build());
                for (int i = 1; i <= 5; i++) {
                    PublishAck ack = nc.jetStream().publish(stream + ".x", payload(stream, i));
                    assertThat(ack.getSeqno()).isEqualTo(i);
                }
                // the file store flushes asynchronously: wait until the last message is on disk
                await().atMost(WAIT).until(() -> storeContains(server.storeDir(), payload(stream, 5)));

                server.kill();
                assertThat(server.isRunning()).isFalse();
                await().atMost(WAIT).until(() -> nc.getStatus() != Connection.Status.CONNECTED);

                server.restart();
                assertThat(server.isRunning()).isTrue();
                assertThat(server.port()).isEqualTo(port);
                assertThat(reconnects.latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);

                StreamInfo info = nc.jetStreamManagement().getStreamInfo(stream);
                assertThat(info.getConfiguration().getStorageType()).isEqualTo(StorageType.File);
                assertThat(info.getStreamState().getMsgCount()).isEqualTo(5);
                assertThat(info.getStreamState().getLastSequence()).isEqualTo(5);
                assertThat(nc.jetStream().publish(stream + ".x", payload(stream, 6)).getSeqno()).isEqualTo(6);
            }
        }
    }

    @Test
    void stoppedServerRestartsWithItsStore() throws Exception {
        try (NatsServer server = NatsServer.startDefault()) {
            Reconnects reconnects = new Reconnects();
            try (Connection nc = io.nats.client.Nats.connect(server.clientOptions()
                    .connectionListener(reconnects).build())) {
                int port = server.port();
                String stream = NATS.uniqueName("STOP");
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream)
                        .subjects(stream).storageType(StorageType.File).build());
                assertThat(nc.jetStream().publish(stream, payload(stream, 1)).getSeqno()).isEqualTo(1);
                assertThat(nc.jetStream().publish(stream, payload(stream, 2)).getSeqno()).isEqualTo(2);

                server.stop();
                assertThat(server.isRunning()).isFalse();
                server.restart();

                assertThat(server.port()).isEqualTo(port);
                assertThat(reconnects.latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                StreamInfo info = nc.jetStreamManagement().getStreamInfo(stream);
                assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
                MessageInfo last = nc.jetStreamManagement().getLastMessage(stream, stream);
                assertThat(last.getData()).isEqualTo(payload(stream, 2));
            }
        }
        // restart() while running stops first, and the extension's own server is untouched by all this
        assertThat(NATS.server().isRunning()).isTrue();
    }

    @Test
    void aPausedServerAnswersNothingUntilResumedAndAStoppedPausedServerExits() throws Exception {
        try (NatsServer server = NatsServer.builder().name("pause").start();
             Connection nc = io.nats.client.Nats.connect(server.clientOptions().build())) {
            nc.flush(WAIT);
            server.pause();
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThatThrownBy(() -> nc.flush(Duration.ofMillis(300)))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            server.resume();
            nc.flush(WAIT);

            server.pause();
            server.stop(); // thaws first: a stopped process would ignore SIGTERM
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void threeNodeClusterKeepsAcknowledgingWithOneNodeKilled() throws Exception {
        try (NatsCluster cluster = new NatsCluster().start(); Connection nc = cluster.connect()) {
            assertThat(cluster.urls().split(",")).hasSize(3)
                    .containsExactly(cluster.node(0).url(), cluster.node(1).url(), cluster.node(2).url());
            String stream = NATS.uniqueName("CLUSTER");
            JetStreamManagement jsm = nc.jetStreamManagement();
            StreamInfo created = jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream)
                    .storageType(StorageType.File).replicas(3).build());
            assertThat(created.getConfiguration().getReplicas()).isEqualTo(3);
            assertThat(publishOnce(nc, stream, 1).getSeqno()).isEqualTo(1);

            ClusterInfo placement = awaitAllReplicasCurrent(jsm, stream);
            assertThat(placement.getName()).isEqualTo(cluster.name());
            assertThat(placement.getReplicas()).hasSize(2);
            int leader = Integer.parseInt(placement.getLeader().substring(1)) - 1;

            NatsServer killed = cluster.node(leader);
            killed.kill();
            assertThat(killed.isRunning()).isFalse();

            PublishAck ack = publishOnce(nc, stream, 2);
            assertThat(ack.getSeqno()).isEqualTo(2);
            assertThat(ack.getStream()).isEqualTo(stream);
            StreamInfo afterKill = jsm.getStreamInfo(stream);
            assertThat(afterKill.getStreamState().getMsgCount()).isEqualTo(2);
            assertThat(afterKill.getClusterInfo().getLeader()).isNotEqualTo(placement.getLeader());

            killed.restart();
            cluster.awaitJetStreamReady();
            assertThat(awaitAllReplicasCurrent(jsm, stream).getReplicas()).hasSize(2);
            try (Connection direct = killed.connect()) {
                assertThat(direct.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount())
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void configFileTextIsUsedAndClientOptionsCarryCredentials() throws Exception {
        try (NatsServer server = NatsServer.builder()
                .config("authorization {\n  user: harness\n  password: \"s3cret\"\n}\n")
                .clientOptions(o -> o.userInfo("harness", "s3cret"))
                .start();
             Connection nc = server.connect()) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(nc.jetStreamManagement().getAccountStatistics().getStreams()).isZero();
            assertThatThrownBy(() -> io.nats.client.Nats.connect(io.nats.client.Options.builder()
                    .server(server.url()).maxReconnects(0).build()))
                    .hasMessageContaining("Authorization Violation");
        }
    }

    @Test
    void invalidConfigFailsWithTheServerOutput() {
        assertThatThrownBy(() -> NatsServer.builder().config("listen: {{{ not a config\n").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 1 before it was ready")
                .hasMessageContaining("nats-server.conf")
                .hasMessageContaining("Parse error");
    }

    /** Publishes message {@code n} with a message id, retrying through fail-over; dedup keeps it once. */
    private static PublishAck publishOnce(Connection nc, String stream, int n) {
        AtomicReference<PublishAck> ack = new AtomicReference<>();
        PublishOptions options = PublishOptions.builder().messageId(stream + "-" + n).build();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            ack.set(nc.jetStream().publish(stream, payload(stream, n), options));
            return true;
        });
        return ack.get();
    }

    private static ClusterInfo awaitAllReplicasCurrent(JetStreamManagement jsm, String stream) {
        AtomicReference<ClusterInfo> info = new AtomicReference<>();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            info.set(jsm.getStreamInfo(stream).getClusterInfo());
            List<Replica> replicas = info.get().getReplicas();
            return info.get().getLeader() != null && replicas != null && replicas.size() == 2
                    && replicas.stream().allMatch(r -> r.isCurrent() && !r.isOffline());
        });
        return info.get();
    }

    private static byte[] payload(String stream, int n) {
        return ("payload-" + stream + "-" + n).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean storeContains(Path storeDir, byte[] needle) throws IOException {
        String text = new String(needle, StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(storeDir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".blk")).toList()) {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Counts down on the first reconnect. */
    private static final class Reconnects implements ConnectionListener {
        final CountDownLatch latch = new CountDownLatch(1);

        @Override
        public void connectionEvent(Connection conn, Events type) {
            if (type == Events.RECONNECTED) {
                latch.countDown();
            }
        }
    }
}
