package io.meshbridge.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits the sequences missing from an archive into those the dead-letter stream holds and the rest, the
 * real gaps. Stateless.
 */
final class DeadLetterGaps {

    /**
     * The outcome.
     *
     * @param gaps         the missing ranges that were not dead-lettered
     * @param deadLettered the missing ranges that were, one per route and run of sequences
     */
    record Split(List<VerifyReport.Gap> gaps, List<VerifyReport.DeadLettered> deadLettered) {
    }

    private DeadLetterGaps() {
    }

    /** Splits the holes of {@code archived} (per stream incarnation) by {@code index}. */
    static Split split(Map<StreamKey, SequenceRanges> archived, DeadLetterIndex index) {
        Map<StreamKey, TreeMap<Long, String>> letters = attribute(archived, index);
        List<VerifyReport.Gap> gaps = new ArrayList<>();
        List<VerifyReport.DeadLettered> deadLettered = new ArrayList<>();
        archived.forEach((key, ranges) -> {
            TreeMap<Long, String> byKey = letters.getOrDefault(key, new TreeMap<>());
            for (SequenceRange hole : ranges.holes()) {
                long next = hole.first();
                Map<Long, String> inHole = byKey.subMap(hole.first(), true, hole.last(), true);
                long runFirst = 0;
                long runLast = 0;
                String runRoute = null;
                for (Map.Entry<Long, String> letter : inHole.entrySet()) {
                    long seq = letter.getKey();
                    if (seq > next) {
                        gaps.add(new VerifyReport.Gap(key.stream(), key.created(), new SequenceRange(next, seq - 1)));
                    }
                    if (runRoute != null && (seq != runLast + 1 || !runRoute.equals(letter.getValue()))) {
                        deadLettered.add(dead(key, runFirst, runLast, runRoute));
                        runRoute = null;
                    }
                    if (runRoute == null) {
                        runFirst = seq;
                        runRoute = letter.getValue();
                    }
                    runLast = seq;
                    next = seq + 1;
                }
                if (runRoute != null) {
                    deadLettered.add(dead(key, runFirst, runLast, runRoute));
                }
                if (next <= hole.last()) {
                    gaps.add(new VerifyReport.Gap(key.stream(), key.created(), new SequenceRange(next, hole.last())));
                }
            }
        });
        return new Split(gaps, deadLettered);
    }

    /** Each dead letter under the incarnation of its stream that it belongs to; one route per sequence. */
    private static Map<StreamKey, TreeMap<Long, String>> attribute(Map<StreamKey, SequenceRanges> archived,
                                                                  DeadLetterIndex index) {
        Map<String, TreeSet<Instant>> created = new TreeMap<>();
        archived.keySet().forEach(k -> created.computeIfAbsent(k.stream(), s -> new TreeSet<>()).add(k.created()));
        index.streamsCreated().forEach((stream, c) -> created.computeIfAbsent(stream, s -> new TreeSet<>()).add(c));
        Map<StreamKey, TreeMap<Long, String>> out = new TreeMap<>();
        for (DeadLetter letter : index.letters()) {
            TreeSet<Instant> incarnations = created.get(letter.stream());
            Instant incarnation = incarnations == null ? null : incarnations.floor(letter.stored());
            if (incarnation != null) {
                out.computeIfAbsent(new StreamKey(letter.stream(), incarnation), k -> new TreeMap<>())
                        .merge(letter.sequence(), letter.route(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        return out;
    }

    private static VerifyReport.DeadLettered dead(StreamKey key, long first, long last, String route) {
        return new VerifyReport.DeadLettered(key.stream(), key.created(), new SequenceRange(first, last), route);
    }
}
