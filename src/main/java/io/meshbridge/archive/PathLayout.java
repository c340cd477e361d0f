package io.meshbridge.archive;

import io.meshbridge.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a stream time and a subject to a directory below the archive root through a template such as
 * {@code {yyyy}/{MM}/{dd}/{HH}/{type}}. The tokens {@code yyyy MM dd HH mm} are the UTC stream time, {@code type}
 * the subject without {@code events.}, {@linkplain #sanitize sanitised} to one safe path segment. Whatever the
 * subject, the result is inside the root. Immutable and thread-safe.
 */
final class PathLayout {

    /** Longest name segment made from a type, in characters. */
    static final int MAX_SEGMENT_LENGTH = 100;

    private static final Pattern TOKEN = Pattern.compile("\\{([^}]*)}");
    private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int HASH_LENGTH = 8;

    /** Cached directories at most; the cache starts again when full (types are few in practice). */
    private static final int MAX_CACHED = 4096;

    private final Path root;
    private final String template;
    /** Seconds in which the directory cannot change: the finest time token of the template. */
    private final long granularity;
    /** Directory by subject, for the time slot it was made for. */
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long slot, Path dir) {
    }

    PathLayout(Path root, String template) {
        this.root = root.toAbsolutePath().normalize();
        this.template = validate(template);
        this.granularity = template.contains("{mm}") ? 60 : template.contains("{HH}") ? 3600 : 86400;
    }

    /**
     * Returns the template when every segment is safe: known tokens, literal characters {@code A-Z a-z 0-9 . _ -},
     * no empty, {@code .} or {@code ..} segment, not absolute.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static String validate(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("archive layout must not be empty");
        }
        for (String segment : template.split("/", -1)) {
            Matcher m = TOKEN.matcher(segment);
            StringBuilder literal = new StringBuilder();
            int last = 0;
            while (m.find()) {
                if (!m.group(1).matches("yyyy|MM|dd|HH|mm|type")) {
                    throw new IllegalArgumentException("archive layout '" + template + "' has the unknown token {"
                            + m.group(1) + "}; known: {yyyy} {MM} {dd} {HH} {mm} {type}");
                }
                literal.append(segment, last, m.start()).append('x');
                last = m.end();
            }
            literal.append(segment.substring(last));
            String flat = literal.toString();
            if (!SAFE_LITERAL.matcher(flat).matches() || flat.equals(".") || flat.equals("..")) {
                throw new IllegalArgumentException("archive layout '" + template + "' has the unsafe segment '"
                        + segment + "' (use A-Z a-z 0-9 . _ - and tokens, separated by single '/')");
            }
        }
        return template;
    }

    /**
     * The directory for an event.
     *
     * @throws IllegalStateException if the result were outside the root (cannot happen; a last guard)
     */
    Path directoryFor(Instant time, String subject) {
        long slot = Math.floorDiv(time.getEpochSecond(), granularity);
        Cached known = cache.get(subject);
        if (known != null && known.slot() == slot) {
            return known.dir();
        }
        Path dir = build(time, subject);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(subject, new Cached(slot, dir));
        return dir;
    }

    private Path build(Instant time, String subject) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        String type = sanitize(typeOf(subject));
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "yyyy" -> String.format("%04d", t.getYear());
                case "MM" -> two(t.getMonthValue());
                case "dd" -> two(t.getDayOfMonth());
                case "HH" -> two(t.getHour());
                case "mm" -> two(t.getMinute());
                default -> type;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        Path dir = root.resolve(out.toString()).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new IllegalStateException("archive path " + dir + " is outside " + root);
        }
        return dir;
    }

    /** The type of a subject: without the {@code events.} prefix, or the whole subject if it has none. */
    static String typeOf(String subject) {
        return subject.startsWith(EventTypes.SUBJECT_PREFIX)
                ? subject.substring(EventTypes.SUBJECT_PREFIX.length()) : subject;
    }

    /**
     * One safe file name segment for any string: characters other than {@code A-Z a-z 0-9 . _ -} become
     * {@code _}, a dot following a dot or at the start becomes {@code _} (so no {@code ..} and no hidden
     * names), the empty string becomes {@code _}. When anything was replaced or the result is longer than
     * {@link #MAX_SEGMENT_LENGTH}, it is cut and ends in {@code -} and 8 hex digits of the SHA-256 of the
     * original, so different hostile names stay apart.
     */
    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_SEGMENT_LENGTH + 1));
        boolean changed = false;
        for (int i = 0; i < name.length() && out.length() <= MAX_SEGMENT_LENGTH; i++) {
            char c = name.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-' || c == '.' && out.length() > 0 && out.charAt(out.length() - 1) != '.';
            out.append(safe ? c : '_');
            changed |= !safe;
        }
        if (out.length() == 0) {
            return "_";
        }
        if (changed || name.length() > MAX_SEGMENT_LENGTH) {
            out.setLength(Math.min(out.length(), MAX_SEGMENT_LENGTH - HASH_LENGTH - 1));
            out.append('-').append(hash(name));
        }
        return out.toString();
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
