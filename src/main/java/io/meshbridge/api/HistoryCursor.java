package io.meshbridge.api;

import io.meshbridge.archive.ArchiveHistory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a history page ended: the {@code next} of {@code GET /api/history}, opaque to clients. It names the
 * last message of the page by the creation time of its stream incarnation, its sequence in it and its stored
 * time, so that the next page can tell whether the stream was deleted and created again meanwhile (another
 * creation time: its sequences start again) and then continue by time instead.
 *
 * <p>The text is URL-safe base64 (no padding) of {@code h1 <created> <sequence> <time>}, the instants in ISO-8601
 * with nanoseconds. {@link #decode} refuses anything else with a 400 naming the parameter.
 *
 * @param created  the creation time of the incarnation the message belongs to
 * @param sequence its stream sequence, 1 or more
 * @param time     its stored time
 */
record HistoryCursor(Instant created, long sequence, Instant time) {

    private static final String VERSION = "h1";
    private static final int MAX_LENGTH = 200;

    /** Validates the members. */
    HistoryCursor {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(time, "time");
        if (sequence < 1) {
            throw new IllegalArgumentException("cursor sequence must be at least 1, was " + sequence);
        }
    }

    /** The cursor of an archived message's place. */
    static HistoryCursor of(ArchiveHistory.Mark mark) {
        return new HistoryCursor(mark.created(), mark.sequence(), mark.time());
    }

    /** This place, for the archive. */
    ArchiveHistory.Mark mark() {
        return new ArchiveHistory.Mark(created, sequence, time);
    }

    /** The opaque text handed to the client. */
    String encode() {
        String plain = VERSION + " " + created + " " + sequence + " " + time;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The cursor {@code text} encodes.
     *
     * @throws ApiException 400 naming {@code cursor} when it is not one this API handed out
     */
    static HistoryCursor decode(String text) {
        if (text.length() <= MAX_LENGTH) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
                String[] parts = plain.split(" ", -1);
                if (parts.length == 4 && parts[0].equals(VERSION)) {
                    return new HistoryCursor(Instant.parse(parts[1]), Long.parseLong(parts[2]),
                            Instant.parse(parts[3]));
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // answered below (NumberFormatException is an IllegalArgumentException)
            }
        }
        throw ApiException.badRequest("cursor is not one of this API's: pass the next of a previous page unchanged,"
                + " was '" + ApiJson.printable(text) + "'");
    }
}
