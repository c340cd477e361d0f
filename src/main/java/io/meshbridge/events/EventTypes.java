package io.meshbridge.events;

/**
 * Rules for event types, topics and subject filters, shared by everything that builds subjects.
 *
 * <p>A type is a dot-separated sequence of tokens ({@code tool.crashed}, {@code user.training.complete}).
 * A token is never empty and holds no NATS wildcard ({@code *}, {@code >}), no whitespace and no control
 * character. A type is at most {@link #MAX_TYPE_LENGTH} characters long. A subject filter follows the same
 * token rules but may use {@code *} as a whole token and {@code >} as the last token.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventTypes {

    /** Every event subject starts with this prefix; the rest is the type. */
    public static final String SUBJECT_PREFIX = "events.";

    /** Longest event type accepted, in characters. */
    public static final int MAX_TYPE_LENGTH = 200;

    private EventTypes() {
    }

    /**
     * Returns the type unchanged when it is valid.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String requireValidType(String type) {
        String problem = typeProblem(type);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return type;
    }

    /** Whether {@code type} is a valid event type. */
    public static boolean isValidType(String type) {
        return typeProblem(type) == null;
    }

    /**
     * Describes what is wrong with a type, or returns {@code null} when it is valid.
     */
    public static String typeProblem(String type) {
        if (type == null) {
            return "event type must not be null";
        }
        if (type.isEmpty()) {
            return "event type must not be empty";
        }
        if (type.length() > MAX_TYPE_LENGTH) {
            return "event type is longer than " + MAX_TYPE_LENGTH + " characters";
        }
        return tokenProblem("event type", type, false);
    }

    /**
     * Returns the filter unchanged when it is a valid NATS subject filter.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String requireValidFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("subject filter must not be empty");
        }
        if (filter.length() > MAX_TYPE_LENGTH + SUBJECT_PREFIX.length()) {
            throw new IllegalArgumentException("subject filter is longer than "
                    + (MAX_TYPE_LENGTH + SUBJECT_PREFIX.length()) + " characters");
        }
        String problem = tokenProblem("subject filter", filter, true);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return filter;
    }

    /**
     * The type given with or without the {@code events.} prefix, as the reference CLI accepts both:
     * {@code tool.started} and {@code events.tool.started} give {@code tool.started}.
     *
     * @throws IllegalArgumentException when what remains is not a valid type
     */
    public static String typeFromUserInput(String typeOrSubject) {
        if (typeOrSubject != null && typeOrSubject.startsWith(SUBJECT_PREFIX)) {
            return requireValidType(typeOrSubject.substring(SUBJECT_PREFIX.length()));
        }
        return requireValidType(typeOrSubject);
    }

    /**
     * The subject filter given as users type it, with or without the {@code events.} prefix and surrounding
     * spaces: {@code tool.*} and {@code events.tool.*} give {@code events.tool.*}, {@code >} gives
     * {@code events.>}.
     *
     * @throws IllegalArgumentException when it is empty or the result is not a valid filter
     */
    public static String filterFromUserInput(String input) {
        String trimmed = input == null ? "" : input.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("subject filter must not be empty");
        }
        return requireValidFilter(trimmed.startsWith(SUBJECT_PREFIX) ? trimmed : SUBJECT_PREFIX + trimmed);
    }

    /**
     * The type a subject stands for ({@code events.tool.crashed} gives {@code tool.crashed}), or {@code null}
     * when the subject is not under {@code events.} or the rest is not a valid type.
     */
    public static String typeOfSubject(String subject) {
        if (subject == null || !subject.startsWith(SUBJECT_PREFIX)) {
            return null;
        }
        String type = subject.substring(SUBJECT_PREFIX.length());
        return isValidType(type) ? type : null;
    }

    private static String tokenProblem(String what, String value, boolean wildcards) {
        int tokenStart = 0;
        int length = value.length();
        for (int i = 0; i <= length; i++) {
            if (i == length || value.charAt(i) == '.') {
                if (i == tokenStart) {
                    return what + " '" + printable(value) + "' has an empty token";
                }
                String wildcardProblem = wildcardProblem(what, value, tokenStart, i, wildcards);
                if (wildcardProblem != null) {
                    return wildcardProblem;
                }
                tokenStart = i + 1;
                continue;
            }
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return what + " '" + printable(value) + "' contains whitespace or a control character";
            }
        }
        return null;
    }

    private static String wildcardProblem(String what, String value, int start, int end, boolean allowed) {
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c != '*' && c != '>') {
                continue;
            }
            if (!allowed) {
                return what + " '" + printable(value) + "' contains the wildcard '" + c + "'";
            }
            if (end - start != 1) {
                return what + " '" + printable(value) + "' uses '" + c + "' inside a token";
            }
            if (c == '>' && end != value.length()) {
                return what + " '" + printable(value) + "' uses '>' before the last token";
            }
        }
        return null;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 80));
        for (int i = 0; i < value.length() && out.length() < 80; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
