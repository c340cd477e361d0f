package io.meshbridge.webhook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Checks the extra headers of a {@link WebhookTarget}: names, reserved names, values. Stateless. */
final class ExtraHeaders {

    private ExtraHeaders() {
    }

    /** The headers, checked, trimmed, in order, unmodifiable. */
    static Map<String, String> check(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = Objects.requireNonNull(h.getKey(), "webhook header name").trim();
            if (!isToken(name)) {
                throw new IllegalArgumentException("webhook header name '" + printableName(name)
                        + "' is not a valid HTTP header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (WebhookTarget.RESERVED_HEADERS.contains(lower) || lower.startsWith("webhook-")) {
                throw new IllegalArgumentException("webhook header " + name + " is set by the client itself and"
                        + " cannot be configured");
            }
            if (seen.contains(lower)) {
                throw new IllegalArgumentException("webhook header " + name + " is given twice");
            }
            seen.add(lower);
            String value = Objects.requireNonNull(h.getValue(), "value of webhook header " + name).trim();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    // the value may be a credential: name the header, not the value
                    throw new IllegalArgumentException("value of webhook header " + name
                            + " contains a control character (such as a line break)");
                }
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** RFC 9110 token characters. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printableName(String name) {
        return Outcome.printable(name, 64);
    }
}
