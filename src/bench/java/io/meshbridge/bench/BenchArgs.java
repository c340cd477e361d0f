package io.meshbridge.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} command-line arguments of a benchmark child process. */
record BenchArgs(Map<String, String> values) {

    BenchArgs {
        values = Map.copyOf(values);
    }

    static BenchArgs parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, was: " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new BenchArgs(values);
    }

    String required(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }

    String text(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    /** The integer {@code key}; {@code otherwise} when absent, required when {@code otherwise} is negative. */
    int integer(String key, int otherwise) {
        String v = values.get(key);
        if (v == null) {
            if (otherwise < 0) {
                throw new IllegalArgumentException("missing argument " + key + "=...");
            }
            return otherwise;
        }
        return Integer.parseInt(v);
    }
}
