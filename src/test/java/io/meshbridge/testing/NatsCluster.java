package io.meshbridge.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A JetStream cluster of private nats-servers on 127.0.0.1 (three by default): each node has its own
 * store, {@code server_name} ({@code n1}, {@code n2}, ...), random client and cluster ports, and routes to
 * all other nodes. {@link #start()} returns once every node answers JetStream account requests and a
 * replicated (R = size) stream can be created, i.e. the meta leader is elected and all peers are known.
 *
 * <p>Nodes are {@link NatsServer} handles ({@link #node(int)}, 0-based) that can be stopped, killed and
 * restarted individually; their cluster ports are in their config files, so a restarted node rejoins.
 * Needs a local nats-server binary (no Docker fallback).
 *
 * <p>Threading: lifecycle methods are synchronized; node handles are thread-safe themselves.
 */
public final class NatsCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final int size;
    private final String name;
    private final List<NatsServer> nodes = new ArrayList<>();

    /** A three-node cluster, not started yet. */
    public NatsCluster() {
        this(3);
    }

    /** A cluster of {@code size} nodes (at least 1), not started yet. */
    public NatsCluster(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        this.size = size;
        this.name = "mesh_test_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36)
                .toUpperCase(Locale.ROOT);
    }

    /** Starts all nodes and waits for a working JetStream cluster; retries with new ports on a port clash. */
    public synchronized NatsCluster start() {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + name + " already started");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                startNodes();
                awaitJetStreamReady();
                return this;
            } catch (IllegalStateException e) {
                boolean portClash = String.valueOf(e.getMessage()).contains("address already in use");
                closeNodes();
                if (!portClash || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void startNodes() {
        List<Integer> clusterPorts = IntStream.range(0, size).mapToObj(i -> FreePorts.pick()).toList();
        for (int i = 0; i < size; i++) {
            int self = i;
            String routes = IntStream.range(0, size)
                    .filter(j -> j != self)
                    .mapToObj(j -> "\"nats-route://127.0.0.1:" + clusterPorts.get(j) + "\"")
                    .collect(Collectors.joining(", "));
            String config = "server_name: \"n" + (i + 1) + "\"\n"
                    + "cluster {\n"
                    + "  name: \"" + name + "\"\n"
                    + "  listen: \"127.0.0.1:" + clusterPorts.get(i) + "\"\n"
                    + "  routes: [" + routes + "]\n"
                    + "}\n";
            NatsServer node = NatsServer.builder()
                    .name("nats-" + name + "-n" + (i + 1))
                    .config(config)
                    .awaitJetStream(false)
                    .localOnly()
                    .build();
            nodes.add(node);
            node.start();
        }
    }

    /**
     * Waits until every running node answers a JetStream account request and a stream replicated on all
     * running nodes can be created (and is deleted again). Useful after restarting a node.
     */
    public synchronized void awaitJetStreamReady() {
        try (Connection nc = Nats.connect(clientOptions().build())) {
            Awaitility.await("JetStream cluster " + name + " ready")
                    .atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(this::everyNodeAnswers);
            String probe = "HARNESS_PROBE_" + name;
            int replicas = (int) Math.max(1, nodes.stream().filter(NatsServer::isRunning).count());
            Awaitility.await("R" + replicas + " stream in cluster " + name)
                    .atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        JetStreamManagement jsm = nc.jetStreamManagement();
                        jsm.addStream(StreamConfiguration.builder().name(probe).subjects("harness.probe." + name)
                                .storageType(StorageType.File).replicas(replicas).build());
                        return jsm.deleteStream(probe);
                    });
        } catch (ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                logs.append("\n--- n").append(i + 1).append(" log ---\n").append(nodes.get(i).logTail(20));
            }
            throw new IllegalStateException("JetStream cluster " + name + " not ready within "
                    + READY_TIMEOUT.toSeconds() + " s: " + e.getMessage() + logs, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to cluster " + name + " at " + urls(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for cluster " + name, e);
        }
    }

    private boolean everyNodeAnswers() throws Exception {
        for (NatsServer node : nodes) {
            if (!node.isRunning()) {
                continue;
            }
            try (Connection c = Nats.connect(node.clientOptions().maxReconnects(0).build())) {
                c.jetStreamManagement().getAccountStatistics();
            }
        }
        return true;
    }

    /** The node at {@code index} (0-based). */
    public synchronized NatsServer node(int index) {
        return nodes.get(index);
    }

    /** All nodes, in order. */
    public synchronized List<NatsServer> nodes() {
        return List.copyOf(nodes);
    }

    public int size() {
        return size;
    }

    /** The cluster's name. */
    public String name() {
        return name;
    }

    /** The client URLs of all nodes, comma-separated (the form jnats' {@code Options.server} accepts). */
    public synchronized String urls() {
        return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
    }

    /** jnats options listing every node, with endless reconnects every 100 ms. */
    public synchronized Options.Builder clientOptions() {
        return Options.builder()
                .servers(nodes.stream().map(NatsServer::url).toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100));
    }

    /** A new connection to the cluster with {@link #clientOptions()}; the caller closes it. */
    public Connection connect() throws IOException, InterruptedException {
        return Nats.connect(clientOptions().build());
    }

    /** Stops every node and deletes their directories. Idempotent. */
    @Override
    public synchronized void close() {
        closeNodes();
    }

    private void closeNodes() {
        RuntimeException failure = null;
        for (NatsServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        nodes.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
