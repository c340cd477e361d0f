package io.meshbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of {@code dlq ls}: one row per dead letter with its id, route, attempts, when it was dead-lettered
 * (UTC, to the second) and its error (the exception's class without its package) cut to {@value #ERROR_WIDTH}
 * characters, columns as wide as their widest cell; then one line counting them.
 */
final class DlqTable {

    static final int ERROR_WIDTH = 60;

    private static final Pattern QUALIFIED = Pattern.compile("(?:[a-z_][a-zA-Z0-9_$]*\\.)+([A-Z][a-zA-Z0-9_$]*)(:.*)?",
            Pattern.DOTALL);
    private static final String[] HEADER = {"ID", "ROUTE", "ATTEMPTS", "DEAD-LETTERED", "ERROR"};

    private DlqTable() {
    }

    /** Prints {@code letters} (as the API gives them) of {@code total}; {@code more} when others were not listed. */
    static void print(PrintWriter out, List<JsonNode> letters, long total, boolean more) {
        if (letters.isEmpty()) {
            out.println("no dead letters");
            return;
        }
        String[][] cells = new String[letters.size()][];
        int[] widths = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            widths[c] = HEADER[c].length();
        }
        for (int r = 0; r < letters.size(); r++) {
            JsonNode l = letters.get(r);
            cells[r] = new String[] {l.path("id").asText(), l.path("route").asText(),
                l.path("attempts").isNumber() ? l.get("attempts").asText() : "?", time(l.path("time").asText()),
                cut(error(Failures.oneLine(l.path("error").asText())))};
            for (int c = 0; c < HEADER.length; c++) {
                widths[c] = Math.max(widths[c], cells[r][c].length());
            }
        }
        row(out, HEADER, widths);
        for (String[] row : cells) {
            row(out, row, widths);
        }
        out.println(more ? letters.size() + " of " + total + " dead letters (--all lists every one)"
                : letters.size() + (letters.size() == 1 ? " dead letter" : " dead letters"));
    }

    private static void row(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean last = c == cells.length - 1;
            boolean number = c == 0 || c == 2;
            String cell = cells[c];
            String pad = " ".repeat(last ? 0 : widths[c] - cell.length());
            line.append(number ? pad + cell : cell + pad);
            if (!last) {
                line.append("  ");
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private static String time(String text) {
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }

    /** {@code com.example.SomeException: text} as {@code SomeException: text}. */
    static String error(String text) {
        Matcher m = QUALIFIED.matcher(text);
        return m.matches() ? m.group(1) + (m.group(2) == null ? "" : m.group(2)) : text;
    }

    private static String cut(String text) {
        return text.length() <= ERROR_WIDTH ? text : text.substring(0, ERROR_WIDTH - 1) + "…";
    }
}
