package io.meshbridge.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in configuration: bytes, or a whole number of {@code KiB}, {@code MiB} or {@code GiB}. */
final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kib|mib|gib)?");

    private ByteSizes() {
    }

    /**
     * {@code value} in bytes, from {@code min} to {@code max}.
     *
     * @throws ConfigException naming {@code key} when it is not such a size
     */
    static long parse(String key, String value, long min, long max) {
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key, "not a size: '" + value + "' (use bytes, or 64KiB, 1MiB, 1GiB)");
        }
        long n = Long.parseLong(m.group(1));
        long bytes = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kib" -> n << 10;
            case "mib" -> n << 20;
            case "gib" -> n << 30;
            default -> n;
        };
        if (bytes < min || bytes > max) {
            throw new ConfigException(key, "must be " + text(min) + " to " + text(max) + ", was '" + value + "'");
        }
        return bytes;
    }

    private static String text(long bytes) {
        for (String unit : new String[] {"GiB", "MiB", "KiB"}) {
            int shift = unit.equals("GiB") ? 30 : unit.equals("MiB") ? 20 : 10;
            if (bytes >= (1L << shift) && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + unit;
            }
        }
        return bytes + " bytes";
    }
}
