package io.meshbridge.archive;

/**
 * The name of an archive data file: {@code <worker>-<first seq>-<counter><extension>}, with {@code .part}
 * while it is written. Its manifest is named {@code <file>.manifest.json}.
 */
record ArchiveFileName(String worker, long firstSequence, long counter, Compression compression, boolean part) {

    static final String PART_SUFFIX = ".part";
    static final String MANIFEST_SUFFIX = ".manifest.json";

    /** The name of the finished file. */
    String finished() {
        return worker + "-" + firstSequence + "-" + counter + compression.extension();
    }

    /** The name of the file while it is written. */
    String partName() {
        return finished() + PART_SUFFIX;
    }

    /** The name of this file as it is on disk. */
    String current() {
        return part ? partName() : finished();
    }

    String manifest() {
        return finished() + MANIFEST_SUFFIX;
    }

    ArchiveFileName asFinished() {
        return new ArchiveFileName(worker, firstSequence, counter, compression, false);
    }

    /** Parses a data file name, or returns {@code null} when the name is not one (a manifest, anything else). */
    static ArchiveFileName parse(String name) {
        boolean part = name.endsWith(PART_SUFFIX);
        String rest = part ? name.substring(0, name.length() - PART_SUFFIX.length()) : name;
        Compression compression = null;
        for (Compression c : Compression.values()) {
            if (rest.endsWith(c.extension())
                    && (compression == null || c.extension().length() > compression.extension().length())) {
                compression = c;
            }
        }
        if (compression == null) {
            return null;
        }
        String stem = rest.substring(0, rest.length() - compression.extension().length());
        int counterDash = stem.lastIndexOf('-');
        int seqDash = counterDash <= 0 ? -1 : stem.lastIndexOf('-', counterDash - 1);
        if (seqDash <= 0) {
            return null;
        }
        try {
            long first = Long.parseLong(stem.substring(seqDash + 1, counterDash));
            long counter = Long.parseLong(stem.substring(counterDash + 1));
            if (first < 1 || counter < 0) {
                return null;
            }
            return new ArchiveFileName(stem.substring(0, seqDash), first, counter, compression, part);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
