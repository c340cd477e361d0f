package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsCluster;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replicated (R3) event stream on a three-node cluster keeps every acknowledged event when the node
 * leading the stream dies in the middle of synchronous emits: the emits retry (same id) until a new leader
 * stores them, and the stream holds each acknowledged event exactly once, in emit order.
 *
 * <p>Runtime: 12 to 24 s (cluster start about 3 s, leader election after the kill 2 to 5 s, restart and
 * catch-up of the killed node a few seconds).
 */
class ClusterIT {

    private static final int EVENTS = 200;
    private static final int KILL_AFTER = 50;

    @Test
    void killingTheStreamLeaderLosesAndDuplicatesNoAcknowledgedEvent() throws Exception {
        try (NatsCluster cluster = new NatsCluster(3).start();
             Connection connection = NatsConnectionConfig.of(cluster.urls()).connect("cluster-it",
                     new ConnectionEvents())) {
            String stream = "CLUSTER_EVENTS";
            PersistConfig config = PersistConfig.defaults().withStreamName(stream).withReplicas(3)
                    .withLimits(Duration.ofHours(1), 0).withEmit(Duration.ofSeconds(60), 100);
            PersistentBus pbus = PersistentBus.open(connection, "n", config);
            JetStreamManagement jsm = connection.jetStreamManagement();

            ClusterInfo clusterInfo = jsm.getStreamInfo(stream).getClusterInfo();
            assertThat(clusterInfo.getReplicas()).hasSize(2);
            String leaderName = clusterInfo.getLeader();
            assertThat(leaderName).isIn("n1", "n2", "n3");
            NatsServer leader = cluster.node(Integer.parseInt(leaderName.substring(1)) - 1);

            // synchronous emits; the leader dies right after the 50th acknowledgement, so the other 150 are
            // emitted while the remaining two nodes elect a new leader and retried until it stores them
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                if (i == KILL_AFTER) {
                    assertThat(acked).hasSize(KILL_AFTER);
                    leader.kill();
                }
                acked.add(pbus.emit(Event.user("n", "cluster", Map.of("i", i))).id());
            }
            assertThat(leader.isRunning()).isFalse();
            assertThat(acked).hasSize(EVENTS).doesNotHaveDuplicates();

            String newLeader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
            assertThat(newLeader).isIn("n1", "n2", "n3").isNotEqualTo(leaderName);

            // Read with all three nodes up: with one node down, nats-server 2.9 may place the harness's R2
            // readiness probe on the dead peer and stall for minutes until it notices the peer is gone.
            leader.restart();
            cluster.awaitJetStreamReady();
            // Right after its restart the old leader can answer stream info once more with the state it died
            // with (seen on 2.9.10: 50 messages) until it learns of the new term; wait for an answer that knows
            // of events stored after the kill, then count exactly.
            StreamState[] settled = new StreamState[1];
            await("stream info of " + stream + " after the old leader rejoined").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        settled[0] = jsm.getStreamInfo(stream).getStreamState();
                        return settled[0].getLastSequence() > KILL_AFTER;
                    });
            StreamState state = settled[0];
            assertThat(state.getMsgCount()).isEqualTo(EVENTS);
            assertThat(state.getFirstSequence()).isEqualTo(1);
            assertThat(state.getLastSequence()).isEqualTo(EVENTS);
            Map<String, Integer> stored = new HashMap<>();
            List<String> storedInOrder = new ArrayList<>();
            List<Long> missing = new ArrayList<>();
            for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
                try {
                    MessageInfo m = jsm.getMessage(stream, seq);
                    String id = m.getHeaders().getFirst(Bus.MSG_ID_HEADER);
                    stored.merge(id, 1, Integer::sum);
                    storedInOrder.add(id);
                } catch (JetStreamApiException e) {
                    missing.add(seq);
                }
            }
            assertThat(missing).isEmpty();
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acked);
            assertThat(stored.values()).allMatch(count -> count == 1);
            assertThat(storedInOrder).containsExactlyElementsOf(acked);

            // history() reads through an R1 ephemeral consumer placed on any replica and takes that replica's
            // num_pending as the number of matching events. A replica may not have applied the newest entries
            // yet: on 2.9.10 and 2.15.1 a consumer on the rejoined node saw 199 of the 200 events for a while,
            // even after the leader reported that replica current with lag 0, and history() then answered
            // 199 events with more() false. Hence the wait; the plain reads above are served by the leader and
            // are checked at once.
            HistoryResult history = await("history() of " + stream + " holds all " + EVENTS + " events")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> pbus.history("events.>", EVENTS), h -> h.events().size() == EVENTS);
            assertThat(history.undecodable()).isEmpty();
            assertThat(history.more()).isFalse();
            assertThat(history.events()).extracting(ReceivedEvent::id).containsExactlyElementsOf(acked);
            assertThat(history.events()).extracting(r -> ((Number) r.event().data().get("i")).intValue())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, EVENTS).boxed().toList());
        }
    }
}
