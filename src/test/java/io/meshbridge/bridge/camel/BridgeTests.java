package io.meshbridge.bridge.camel;

import io.meshbridge.camel.MeshTests;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Helpers for the bridge template tests: a Camel context on a mesh with a shipped template instantiated, and
 * events published fast (pipelined JetStream publishes, each acknowledged).
 */
final class BridgeTests {

    private BridgeTests() {
    }

    /** A context whose mesh is {@code nc}/{@code stream}, with the template loaded and one route from it. */
    static CamelContext context(Connection nc, String stream, String template, String routeId,
                                Map<String, String> params) throws Exception {
        CamelContext ctx = MeshTests.context(nc, stream);
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:templates/" + template + ".yaml"));
        MeshTests.loadYaml(ctx, templatedRoute(template, routeId, params));
        return ctx;
    }

    /** {@link #context} started. */
    static CamelContext start(Connection nc, String stream, String template, String routeId,
                              Map<String, String> params) throws Exception {
        CamelContext ctx = context(nc, stream, template, routeId, params);
        ctx.start();
        return ctx;
    }

    static String templatedRoute(String template, String routeId, Map<String, String> params) {
        StringBuilder yaml = new StringBuilder("""
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: %s
                    parameters:
                """.formatted(template, routeId));
        params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        return yaml.toString();
    }

    static Map<String, String> params(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** The envelope of event {@code n} of {@code type}: data {@code {"n":<n>}}. */
    static byte[] event(String type, int n) {
        return ("{\"type\":\"" + type + "\",\"node\":\"n1\",\"timestamp\":\"2026-11-29T10:45:28.123Z\",\"data\":"
                + "{\"n\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Publishes events {@code from} to {@code to - 1} of {@code type} (ids {@code <type>-<n>}), pipelined, and
     * waits for every acknowledgement; returns the stream sequences.
     */
    static List<Long> publish(Connection nc, String type, int from, int to, Map<String, String> headers)
            throws Exception {
        JetStream js = nc.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (int n = from; n < to; n++) {
            Headers h = new Headers().put("Nats-Msg-Id", type + "-" + n);
            headers.forEach(h::put);
            acks.add(js.publishAsync("events." + type, h, event(type, n)));
            if (acks.size() >= 500) {
                for (CompletableFuture<PublishAck> a : acks) {
                    seqs.add(a.get(30, TimeUnit.SECONDS).getSeqno());
                }
                acks.clear();
            }
        }
        for (CompletableFuture<PublishAck> a : acks) {
            seqs.add(a.get(30, TimeUnit.SECONDS).getSeqno());
        }
        return seqs;
    }

    /** How many messages {@code stream} holds on {@code subject}. */
    static long count(Connection nc, String stream, String subject) throws Exception {
        Long n = nc.jetStreamManagement().getStreamInfo(stream,
                io.nats.client.api.StreamInfoOptions.filterSubjects(subject)).getStreamState().getSubjectMap().get(subject);
        return n == null ? 0 : n;
    }

    /** Every message of {@code stream} on {@code subject} (a filter), in order, read with an ordered consumer. */
    static List<io.nats.client.Message> messages(Connection nc, String stream, String subject) throws Exception {
        List<io.nats.client.Message> out = new ArrayList<>();
        long expected = nc.jetStreamManagement().getStreamInfo(stream,
                io.nats.client.api.StreamInfoOptions.filterSubjects(subject)).getStreamState().getSubjectMap().values()
                .stream().mapToLong(Long::longValue).sum();
        if (expected == 0) {
            return out;
        }
        try (io.nats.client.FetchConsumer fetch = nc.jetStream().getStreamContext(stream).createOrderedConsumer(
                new io.nats.client.api.OrderedConsumerConfiguration().filterSubject(subject))
                .fetchMessages((int) expected)) {
            for (io.nats.client.Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The {@code n} of an event envelope made by {@link #event}. */
    static int numberOf(byte[] envelope) {
        String s = new String(envelope, StandardCharsets.UTF_8);
        int i = s.indexOf("\"n\":") + 4;
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        return Integer.parseInt(s.substring(i, j));
    }
}
