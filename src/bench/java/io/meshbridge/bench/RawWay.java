package io.meshbridge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the raw program takes its batches (see {@link RawDrain}): {@code fetch} of {@code batch} (one pull at a
 * time) or {@code pipelined} pulls of {@code batch}, {@code depth} of them outstanding. Written
 * {@code way:batch[:depth]}.
 *
 * @param way   fetch or pipelined
 * @param batch messages per pull and per batch
 * @param depth pulls outstanding (pipelined only)
 */
record RawWay(String way, int batch, int depth) {

    /** The raw program's max ack pending in every benchmark. */
    static final int MAX_ACK_PENDING = 2_000;

    RawWay {
        if (!way.equals("fetch") && !way.equals("pipelined")) {
            throw new IllegalArgumentException("a raw way is fetch or pipelined, was " + way);
        }
        if (batch < 1 || depth < 1 || (way.equals("pipelined") ? batch * (depth + 1) : batch) > MAX_ACK_PENDING) {
            throw new IllegalArgumentException("batch " + batch + " and depth " + depth + " must fit into max ack"
                    + " pending " + MAX_ACK_PENDING);
        }
    }

    /** From {@code bench.raw.way} (default {@code fetch:500}). */
    static RawWay fromSystemProperties() {
        return parse(System.getProperty("bench.raw.way", "fetch:500"));
    }

    static RawWay parse(String text) {
        String[] parts = text.trim().split(":");
        return new RawWay(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 500,
                parts.length > 2 ? Integer.parseInt(parts[2]) : 2);
    }

    static List<RawWay> list(String text) {
        return Arrays.stream(text.split(",")).map(RawWay::parse).toList();
    }

    /** The raw program's arguments for {@code work} (noop, none, gzip, zstd), writing to {@code file}. */
    List<String> args(String work, Path file) {
        List<String> args = new ArrayList<>(List.of("way=" + way, "batch=" + batch, "depth=" + depth,
                "maxAckPending=" + MAX_ACK_PENDING, "expires=2000", "work=" + work));
        if (file != null) {
            args.add("file=" + file);
        }
        return args;
    }

    @Override
    public String toString() {
        return way.equals("fetch") ? "legacy pull fetch(" + batch + ", 2 s)"
                : "legacy pull, " + depth + (depth == 1 ? " pull" : " pulls") + " of " + batch + " in flight";
    }
}
