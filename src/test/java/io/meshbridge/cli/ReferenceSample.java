package io.meshbridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The payloads of {@code reference/samples.tsv}: name, subject and exact payload bytes, in file order. */
record ReferenceSample(String name, String subject, byte[] payload) {

    /** Whether the sample is one of the malformed payloads seen on the wire. */
    boolean malformed() {
        return name.startsWith("malformed-");
    }

    /** The type its subject stands for. */
    String type() {
        return subject.substring("events.".length());
    }

    static List<ReferenceSample> all() {
        try (InputStream in = ReferenceSample.class.getResourceAsStream("/reference/samples.tsv")) {
            if (in == null) {
                throw new IllegalStateException("reference/samples.tsv is not on the test class path");
            }
            List<ReferenceSample> samples = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", 3);
                String payload = fields.length > 2 ? fields[2] : "";
                samples.add(new ReferenceSample(fields[0], fields[1], payload.getBytes(StandardCharsets.UTF_8)));
            }
            return List.copyOf(samples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
