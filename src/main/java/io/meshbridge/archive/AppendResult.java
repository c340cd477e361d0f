package io.meshbridge.archive;

/**
 * What {@link ArchiveWriter#append} did with a batch.
 *
 * @param written records written and fsynced
 * @param skipped records skipped because they were already archived (redeliveries)
 */
public record AppendResult(int written, int skipped) {
}
