package io.meshbridge.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The reference payloads of {@code /reference/samples.tsv}: one per line, {@code name<TAB>subject<TAB>payload},
 * the payload being the exact bytes (possibly empty, possibly containing tabs), after a {@code #} header line.
 */
final class Samples {

    private static final String RESOURCE = "/reference/samples.tsv";
    private static final List<Sample> ALL = load();

    private Samples() {
    }

    /** One reference payload. */
    record Sample(String name, String subject, byte[] payload) {

        /** Whether the sample is one of the malformed payloads seen on the wire. */
        boolean malformed() {
            return name.startsWith("malformed-");
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Sample> all() {
        return ALL;
    }

    static List<Sample> decodable() {
        return ALL.stream().filter(s -> !s.malformed()).toList();
    }

    static List<Sample> malformed() {
        return ALL.stream().filter(Sample::malformed).toList();
    }

    static Sample named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no sample named " + name));
    }

    private static List<Sample> load() {
        String text;
        try (InputStream in = Samples.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("#") || (line.isEmpty() && i == lines.length - 1)) {
                continue;
            }
            int first = line.indexOf('\t');
            int second = first < 0 ? -1 : line.indexOf('\t', first + 1);
            if (second < 0) {
                throw new IllegalStateException(RESOURCE + " line " + (i + 1) + " has fewer than three columns");
            }
            samples.add(new Sample(line.substring(0, first), line.substring(first + 1, second),
                    line.substring(second + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return List.copyOf(samples);
    }
}
