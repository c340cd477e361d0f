/**
 * The archive: every event of a stream kept in rolling JSON Lines files long after the stream dropped it.
 *
 * <p>{@link io.meshbridge.archive.ArchiveWriter} writes batches of {@link io.meshbridge.archive.ArchiveRecord}s
 * below a directory configured by {@link io.meshbridge.archive.ArchiveConfig}; the caller acknowledges a batch
 * after {@code append} returned, which is after its lines were fsynced. {@link io.meshbridge.archive.ArchiveReader}
 * reads finished files back in sequence order, {@link io.meshbridge.archive.ArchiveVerifier} checks them, and
 * {@link io.meshbridge.archive.ArchiveManifests} answers questions from the manifests alone.
 * {@link io.meshbridge.archive.ArchiveHistory} answers the stream's history questions with the archived events
 * the stream no longer holds included.
 *
 * <p>This package is the library: it knows nothing of Camel. In a worker, the Camel endpoint
 * {@code archive:<directory>} of {@code io.meshbridge.archive.camel} sits after a {@code mesh:} consumer and
 * drives a writer.
 *
 * <h2>Files</h2>
 * <pre>
 * &lt;directory&gt;/2026/11/29/10/tool.crashed/&lt;worker&gt;-&lt;first seq&gt;-&lt;counter&gt;.jsonl.gz        finished
 * &lt;directory&gt;/2026/11/29/10/tool.crashed/&lt;worker&gt;-&lt;first seq&gt;-&lt;counter&gt;.jsonl.gz.manifest.json
 * &lt;directory&gt;/2026/11/29/11/tool.crashed/&lt;worker&gt;-&lt;first seq&gt;-&lt;counter&gt;.jsonl.gz.part   being written
 * </pre>
 * One line per event: {@code {"stream","stream_created","seq","subject","time","id","event"}}, the payload
 * verbatim as the last member ({@code event_b64} when it holds raw line breaks). Each batch is one gzip member
 * (or zstd frame), so {@code zcat} reads any file, even one cut after a batch; a plain batch carries its length
 * and CRC-32 in its first line ({@code "batch":"<length>:<crc32>"}). The manifest holds the stream, the lowest
 * and highest sequence and time, the count, the sequence ranges and the SHA-256 of the file.
 *
 * <h2>Guarantees and fault model</h2>
 * The process may be killed at any moment (SIGKILL) and the machine may lose power: what {@code append}
 * returned for is fsynced with the directory entries leading to it, and a restarted writer cuts each of its
 * {@code .part} files back to the last complete batch (checksums tell), finishes it, and skips what it
 * archived before, keyed by stream name, stream creation time and sequence. So with one worker per directory
 * each event is archived exactly once; several workers sharing a directory give at least once, and
 * {@code verify} reports the duplicates.
 */
package io.meshbridge.archive;
