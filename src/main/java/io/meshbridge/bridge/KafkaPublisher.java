package io.meshbridge.bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records to Kafka with an idempotent producer ({@code enable.idempotence=true}, {@code acks=all}, at most
 * 5 requests in flight per connection, retries without limit within {@code sendTimeout}) and reports, per
 * record, when the cluster acknowledged it: every in-sync replica has it.
 *
 * <p><b>Order and duplicates.</b> Records go out in the order {@link #publish} was called; the idempotent
 * producer keeps that order per partition through its own retries and has the broker drop the duplicates
 * they would make, so a broker restart within {@code sendTimeout} delays records without reordering or
 * duplicating them. A record that failed (see below) and is sent again by the caller is a new record: it
 * may then be stored twice, and after records sent later.
 *
 * <p><b>Failures.</b> The future fails with a {@link SendException}: permanent when the cluster can never take
 * the record (larger than its limits, an invalid topic, a topic this user may not write, a record the topic
 * refuses such as one without a key on a compacted topic, a value the serializer refuses); retriable
 * otherwise, in particular when no acknowledgement came within {@code sendTimeout} (Kafka's
 * {@code delivery.timeout.ms}), while the cluster is unreachable or the SASL login fails. After an error that
 * leaves an idempotent producer unusable (fenced, out-of-order sequence, idempotent writes not authorised)
 * the next {@link #publish} makes a new producer.
 *
 * <p><b>Blocking.</b> {@link #publish} returns at once, except while Kafka's buffer is full or the topic's
 * partitions are not known yet: then it waits up to {@code connectTimeout} ({@code max.block.ms}) and fails
 * the record retriably. Thread-safe; futures complete on the producer's I/O thread, so their continuations
 * must be quick.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaPublisher.class.getName());

    private final KafkaConnection connection;
    private final Map<String, Object> properties;
    private KafkaProducer<byte[], byte[]> producer; // guarded by this
    private boolean closed; // guarded by this

    /**
     * The tuning of a publisher.
     *
     * @param linger      how long the producer waits to fill a batch ({@code linger.ms})
     * @param compression {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}
     * @param sendTimeout how long a record may take until acknowledged, retries included
     */
    public record Tuning(Duration linger, String compression, Duration sendTimeout) {

        /** The compression types Kafka knows. */
        public static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");

        /** Checks the values against each other and Kafka's rules. */
        public Tuning {
            if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("linger must be from 0 to 10s, was " + linger);
            }
            if (!COMPRESSIONS.contains(compression)) {
                throw new IllegalArgumentException("compression must be one of " + COMPRESSIONS + ", was '"
                        + compression + "'");
            }
            if (sendTimeout.compareTo(linger.plusSeconds(1)) < 0) {
                throw new IllegalArgumentException("sendTimeout must be at least linger + 1s, was " + sendTimeout);
            }
        }
    }

    /**
     * A publisher; the producer is made at once and connects on the first send ({@link #checkTopic} waits for
     * it).
     *
     * @throws IOException when a certificate or key file cannot be read
     */
    public KafkaPublisher(KafkaConnection connection, Tuning tuning) throws IOException {
        this.connection = connection;
        Map<String, Object> p = new HashMap<>(connection.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) tuning.linger().toMillis());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, tuning.compression());
        long delivery = tuning.sendTimeout().toMillis();
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, delivery));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, delivery - tuning.linger().toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, connection.connectTimeout().toMillis());
        this.properties = Map.copyOf(p);
        this.producer = newProducer();
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Waits up to {@code connectTimeout} for the partitions of {@code topic}: the cluster is reachable, the login
     * works and the topic exists (or the cluster created it).
     *
     * @throws IOException naming the servers and the reason (never a secret)
     */
    public int checkTopic(String topic) throws IOException {
        KafkaProducer<byte[], byte[]> p = current();
        try {
            return p.partitionsFor(topic).size();
        } catch (KafkaException e) {
            throw new IOException("cannot reach topic " + topic + " on " + connection + ": " + describe(e)
                    + " (waited up to " + connection.connectTimeout().toMillis() + " ms)", e);
        }
    }

    /**
     * Sends {@code value} with {@code key} (or none) and {@code headers} to {@code topic}; the future completes
     * once the cluster acknowledged it (acks=all), or fails with a {@link SendException}.
     */
    public CompletableFuture<Void> publish(String topic, byte[] key, byte[] value, List<Header> headers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        KafkaProducer<byte[], byte[]> p;
        try {
            p = current();
        } catch (IllegalStateException closing) {
            return CompletableFuture.failedFuture(new SendException("the Kafka publisher is closed", false));
        }
        try {
            p.send(new ProducerRecord<>(topic, null, null, key, value, headers), (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure(p, error));
                }
            });
        } catch (RuntimeException e) { // buffer full or no metadata within max.block.ms, or closed
            done.completeExceptionally(failure(p, e));
        }
        return done;
    }

    private synchronized KafkaProducer<byte[], byte[]> current() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (producer == null) {
            producer = newProducer();
        }
        return producer;
    }

    /** A send failure for {@code error}; retires {@code from} when the error left it unusable. */
    private SendException failure(KafkaProducer<byte[], byte[]> from, Throwable error) {
        Throwable e = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof ClusterAuthorizationException || e instanceof UnsupportedVersionException) {
            retire(from, e);
            return new SendException("Kafka producer failed (" + describe(e) + "); a new one takes over", false);
        }
        return classify(e);
    }

    /** Whether a retry cannot help, and the reason, for a failure {@code e} of one record. */
    static SendException classify(Throwable e) {
        boolean permanent = e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException || e instanceof InvalidRecordException
                || e instanceof SerializationException
                || e instanceof AuthorizationException && !(e instanceof ClusterAuthorizationException);
        return new SendException((permanent ? "Kafka refused the record: " : "not acknowledged by Kafka: ")
                + describe(e), permanent);
    }

    private void retire(KafkaProducer<byte[], byte[]> from, Throwable e) {
        boolean retired = false;
        synchronized (this) {
            if (producer == from) {
                producer = null;
                retired = true;
            }
        }
        if (retired) {
            LOG.log(System.Logger.Level.WARNING, "Kafka producer to {0} is unusable ({1}); making a new one",
                    connection, describe(e));
            Thread closer = new Thread(() -> from.close(Duration.ZERO), "KafkaProducerRetire");
            closer.setDaemon(true);
            closer.start();
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }

    /**
     * Waits up to {@code grace} for the records in flight to be acknowledged, then closes; those still
     * unacknowledged fail (retriably).
     */
    public void close(Duration grace) {
        KafkaProducer<byte[], byte[]> p;
        synchronized (this) {
            closed = true;
            p = producer;
            producer = null;
        }
        if (p != null) {
            p.close(grace);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
