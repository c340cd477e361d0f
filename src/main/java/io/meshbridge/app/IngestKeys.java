package io.meshbridge.app;

import static io.meshbridge.app.ConfigKeys.*;

import io.meshbridge.events.WebhookSecret;
import io.meshbridge.ingest.IngestConfig;
import io.meshbridge.ingest.IngestToken;
import io.meshbridge.ingest.IngestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code mesh.ingest.*} keys turned into an {@link IngestConfig}, each checked and named when invalid.
 * Tokens come from {@code mesh.ingest.tokens} (so also {@code MESH_INGEST_TOKENS}) and from the file of
 * {@code mesh.ingest.tokens-file} (one entry per line, {@code #} comments), together; no message names a secret.
 */
final class IngestKeys {

    private IngestKeys() {
    }

    /** Parses the keys read through {@code text} (the value, or its default). */
    static IngestConfig parse(Function<String, String> text) {
        IngestConfig.Auth auth = switch (text.apply(INGEST_AUTH).toLowerCase(Locale.ROOT)) {
            case "token" -> IngestConfig.Auth.TOKEN;
            case "none" -> IngestConfig.Auth.NONE;
            default -> throw new ConfigException(INGEST_AUTH, "must be one of [token, none], was '"
                    + text.apply(INGEST_AUTH) + "'");
        };
        List<IngestToken> tokens = new ArrayList<>(tokens(INGEST_TOKENS, text.apply(INGEST_TOKENS)));
        String file = text.apply(INGEST_TOKENS_FILE);
        if (!file.isEmpty()) {
            String content;
            try {
                content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(INGEST_TOKENS_FILE, "cannot read " + file + ": " + e.getClass().getSimpleName());
            }
            tokens.addAll(tokens(INGEST_TOKENS_FILE, content));
        }
        IngestTokens all;
        try {
            all = IngestTokens.of(tokens);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file.isEmpty() ? INGEST_TOKENS : INGEST_TOKENS + ", " + INGEST_TOKENS_FILE,
                    e.getMessage());
        }
        int maxBody = size(INGEST_MAX_BODY, text.apply(INGEST_MAX_BODY));
        int maxDepth = (int) whole(INGEST_MAX_DEPTH, text.apply(INGEST_MAX_DEPTH), 1, 63);
        Duration ack = duration(INGEST_ACK_TIMEOUT, text.apply(INGEST_ACK_TIMEOUT));
        if (ack.toMillis() < 100 || ack.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException(INGEST_ACK_TIMEOUT, "must be 100ms to 1m, was " + text.apply(INGEST_ACK_TIMEOUT));
        }
        Duration retry = duration(INGEST_RETRY_AFTER, text.apply(INGEST_RETRY_AFTER));
        if (retry.getSeconds() < 1) {
            throw new ConfigException(INGEST_RETRY_AFTER, "must be at least 1s, was " + text.apply(INGEST_RETRY_AFTER));
        }
        int inFlight = (int) whole(INGEST_MAX_IN_FLIGHT, text.apply(INGEST_MAX_IN_FLIGHT), 1, 100_000);
        int rate = (int) whole(INGEST_RATE_LIMIT, text.apply(INGEST_RATE_LIMIT), 0, 1_000_000);
        String signatures = text.apply(INGEST_SIGNATURE_SECRETS);
        List<WebhookSecret> secrets;
        try {
            secrets = signatures.isEmpty() ? List.of() : WebhookSecret.parseAll(signatures);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(INGEST_SIGNATURE_SECRETS, e.getMessage());
        }
        return new IngestConfig(auth, all, maxBody, maxDepth, ack, retry, inFlight, rate, secrets);
    }

    private static List<IngestToken> tokens(String key, String value) {
        try {
            return IngestTokens.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** A size: bytes, or with {@code B}, {@code KiB}, {@code MiB}; 2 B to 64 MiB. */
    static int size(String key, String value) {
        return (int) ByteSizes.parse(key, value, 2, 64L << 20);
    }

    private static long whole(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "not a whole number: '" + value + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, "must be " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }
}
