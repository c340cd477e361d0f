package io.meshbridge.bridge;

import io.meshbridge.events.EventTypes;

/**
 * Where an outbound bridge sends an event of the stream: the event's subject without its {@code events.}
 * prefix (its type, {@code tool.crashed}) behind the target's prefix.
 *
 * <ul>
 *   <li>NATS ({@link #natsSubject}): {@code prefix + type}, e.g. prefix {@code events.} (the remote is a mesh
 *   too) gives {@code events.tool.crashed}, prefix {@code mesh.a.} gives {@code mesh.a.tool.crashed}, the empty
 *   prefix gives {@code tool.crashed}. A prefix is empty or whole tokens ending with {@code .}, without
 *   wildcards or whitespace.</li>
 *   <li>MQTT ({@link #mqttTopic}): {@code prefix + "/" + the type's tokens joined by "/"}, e.g. prefix
 *   {@code mesh} gives {@code mesh/tool/crashed}; the empty prefix gives {@code tool/crashed}. A character an
 *   MQTT topic name cannot hold or that would add a level ({@code /}, {@code +}, {@code #}, NUL) inside a
 *   token becomes {@code _}. A prefix holds no wildcard ({@code +}, {@code #}) and does not end with
 *   {@code /}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SubjectMapping {

    private SubjectMapping() {
    }

    /** Checks a NATS subject prefix, naming the parameter; returns it. */
    public static String requireNatsPrefix(String parameter, String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException(parameter + " is required (events. for a remote mesh, or e.g. mesh.a.)");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException(parameter + " must end with '.', was '" + prefix + "'");
        }
        String problem = EventTypes.typeProblem(prefix + "x");
        if (problem != null) {
            throw new IllegalArgumentException(parameter + " '" + prefix + "' is not a subject prefix: tokens without"
                    + " wildcards, whitespace or control characters");
        }
        return prefix;
    }

    /** Checks an MQTT topic prefix, naming the parameter; returns it. */
    public static String requireMqttPrefix(String parameter, String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException(parameter + " is required (e.g. mesh)");
        }
        if (prefix.endsWith("/") || prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0
                || prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(parameter + " must hold no wildcard (+, #) and not end with '/', was '"
                    + prefix + "'");
        }
        if (prefix.length() > 1024) {
            throw new IllegalArgumentException(parameter + " is longer than 1024 characters");
        }
        return prefix;
    }

    /** The type of an event stored on {@code subject} ({@code events.<type>}). */
    static String typeOf(String subject) {
        if (subject == null || !subject.startsWith(EventTypes.SUBJECT_PREFIX)) {
            throw new IllegalArgumentException("not an event subject: " + subject);
        }
        return subject.substring(EventTypes.SUBJECT_PREFIX.length());
    }

    /** The remote NATS subject of an event stored on {@code subject}. */
    public static String natsSubject(String prefix, String subject) {
        return prefix + typeOf(subject);
    }

    /** The MQTT topic of an event stored on {@code subject}. */
    public static String mqttTopic(String prefix, String subject) {
        String type = typeOf(subject);
        StringBuilder out = new StringBuilder(prefix.length() + type.length() + 1);
        if (!prefix.isEmpty()) {
            out.append(prefix).append('/');
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            out.append(c == '.' ? '/' : c == '/' || c == '+' || c == '#' || c == '\0' ? '_' : c);
        }
        return out.toString();
    }
}
