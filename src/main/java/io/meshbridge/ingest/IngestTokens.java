package io.meshbridge.ingest;

import io.meshbridge.events.Secret;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bearer tokens of the ingest endpoints: parsing their compact syntax and finding the token a request
 * presents, in constant time.
 *
 * <p><b>Syntax.</b> Entries separated by commas or line breaks; blank entries and lines starting with
 * {@code #} are ignored (for token files). Each entry is {@code NAME:SECRET} followed by optional
 * attributes {@code ;topics=PREFIX|PREFIX} and {@code ;node=NODE}, e.g.
 * {@code ci:9f2c...e1;topics=build|deploy;node=ci-runner, alerting:4b7d...0a;topics=alert}. See
 * {@link IngestToken} for what each part allows. Names and secrets must be unique.
 *
 * <p><b>Matching.</b> {@link #match} compares the SHA-256 digests of the presented secret and of every
 * token's secret with {@link MessageDigest#isEqual}, always all of them, so neither the time taken nor an
 * early exit tells which prefix or which token came close. Immutable and thread-safe.
 */
public final class IngestTokens {

    private final List<IngestToken> tokens;
    private final byte[][] digests;

    private IngestTokens(List<IngestToken> tokens) {
        this.tokens = List.copyOf(tokens);
        this.digests = new byte[this.tokens.size()][];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            IngestToken t = this.tokens.get(i);
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("token name " + t.name() + " is given twice");
            }
            digests[i] = digest(t.secret().value());
            for (int j = 0; j < i; j++) {
                if (Arrays.equals(digests[j], digests[i])) {
                    throw new IllegalArgumentException("tokens " + this.tokens.get(j).name() + " and " + t.name()
                            + " have the same secret");
                }
            }
        }
    }

    /** The given tokens. */
    public static IngestTokens of(List<IngestToken> tokens) {
        return new IngestTokens(tokens);
    }

    /**
     * Parses tokens in the syntax above.
     *
     * @throws IllegalArgumentException naming the entry (by its position and name, never its secret)
     */
    public static List<IngestToken> parse(String text) {
        List<IngestToken> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int index = 0;
        for (String raw : text.split("[,\\n\\r]")) {
            String entry = raw.trim();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            index++;
            out.add(parseEntry(entry, index));
        }
        return out;
    }

    private static IngestToken parseEntry(String entry, int index) {
        String[] parts = entry.split(";", -1);
        int colon = parts[0].indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("token " + index + ": expected NAME:SECRET[;topics=A|B][;node=N]");
        }
        String name = parts[0].substring(0, colon).trim();
        String secret = parts[0].substring(colon + 1).trim();
        List<String> topics = List.of();
        String node = null;
        for (int i = 1; i < parts.length; i++) {
            String attr = parts[i].trim();
            int eq = attr.indexOf('=');
            String key = eq < 0 ? attr : attr.substring(0, eq).trim();
            String value = eq < 0 ? "" : attr.substring(eq + 1).trim();
            switch (key) {
                case "topics" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("token " + index + " (" + name + "): topics= is empty");
                    }
                    topics = List.of(value.split("\\|", -1));
                }
                case "node" -> node = value;
                default -> throw new IllegalArgumentException("token " + index + " (" + name
                        + "): unknown attribute '" + key + "' (expected topics= or node=)");
            }
        }
        try {
            return new IngestToken(name, new Secret(secret), topics, node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token " + index + ": " + e.getMessage(), e);
        }
    }

    /** Whether there is no token. */
    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The tokens, in their given order. */
    public List<IngestToken> tokens() {
        return tokens;
    }

    /** The token whose secret is {@code presented}, or {@code null}; constant time in the secret's content. */
    public IngestToken match(String presented) {
        byte[] d = digest(presented);
        IngestToken found = null;
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(digests[i], d) && found == null) {
                found = tokens.get(i);
            }
        }
        return found;
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "IngestTokens" + tokens;
    }
}
