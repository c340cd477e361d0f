package io.meshbridge.app;

import static io.meshbridge.app.ConfigKeys.API_AUTH;
import static io.meshbridge.app.ConfigKeys.API_TOKENS;
import static io.meshbridge.app.ConfigKeys.API_TOKENS_FILE;

import io.meshbridge.api.ApiConfig;
import io.meshbridge.events.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code mesh.api.*} keys turned into an {@link ApiConfig}, each checked and named when invalid. Tokens
 * come from {@code mesh.api.tokens} (so also {@code MESH_API_TOKENS}, comma-separated) and from the file of
 * {@code mesh.api.tokens-file} (one per line, {@code #} comments), together; no message shows a token.
 */
final class ApiKeys {

    static final int MIN_TOKEN = 16;

    private ApiKeys() {
    }

    /** Parses the keys read through {@code text} (the value, or its default). */
    static ApiConfig parse(Function<String, String> text) {
        ApiConfig.Auth auth = switch (text.apply(API_AUTH).toLowerCase(Locale.ROOT)) {
            case "token" -> ApiConfig.Auth.TOKEN;
            case "none" -> ApiConfig.Auth.NONE;
            default -> throw new ConfigException(API_AUTH, "must be one of [token, none], was '"
                    + text.apply(API_AUTH) + "'");
        };
        List<Secret> tokens = new ArrayList<>(tokens(API_TOKENS, text.apply(API_TOKENS)));
        String file = text.apply(API_TOKENS_FILE);
        if (!file.isEmpty()) {
            tokens.addAll(tokens(API_TOKENS_FILE, SecretFiles.read(API_TOKENS_FILE, file)));
        }
        Set<String> seen = new HashSet<>();
        for (Secret t : tokens) {
            if (!seen.add(t.value())) {
                throw new ConfigException(file.isEmpty() ? API_TOKENS : API_TOKENS + ", " + API_TOKENS_FILE,
                        "a token is given twice");
            }
        }
        return new ApiConfig(auth, tokens);
    }

    /** The tokens of {@code value}: separated by commas or line breaks, blank and {@code #} lines ignored. */
    static List<Secret> tokens(String key, String value) {
        List<Secret> out = new ArrayList<>();
        int index = 0;
        for (String raw : value.split("[,\\n\\r]")) {
            String t = raw.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            index++;
            if (t.length() < MIN_TOKEN || !t.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new ConfigException(key, "token " + index + " must be at least " + MIN_TOKEN
                        + " printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
            }
            out.add(new Secret(t));
        }
        return out;
    }
}
