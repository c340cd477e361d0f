package io.meshbridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API's JSON mapper and small helpers shared by its operations. */
public final class ApiJson {

    /** The mapper of every API body (thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final int MAX_ECHO = 100;

    private ApiJson() {
    }

    /** A new JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {"status":<status>,"reason":<reason>}}, the body of every error. */
    public static ObjectNode error(int status, String reason) {
        return object().put("status", status).put("reason", reason);
    }

    /**
     * {@code text} made safe to echo in a reason: control characters replaced, cut to 100 characters; {@code ""}
     * for {@code null}.
     */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_ECHO + 1));
        for (int i = 0; i < text.length() && b.length() < MAX_ECHO; i++) {
            char c = text.charAt(i);
            b.append(c < 32 || c == 127 ? '?' : c);
        }
        if (text.length() > MAX_ECHO) {
            b.append('…');
        }
        return b.toString();
    }
}
