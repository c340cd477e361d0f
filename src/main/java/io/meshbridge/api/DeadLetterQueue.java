package io.meshbridge.api;

import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.StoredDeadLetter;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.StreamState;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter stream {@value MeshConstants#DLQ_STREAM} as the API reads and changes it, one message request
 * at a time ({@code $JS.API.STREAM.MSG.GET} with {@code next_by_subj}, which nats-server 2.9 and later answer; no
 * batch get, no consumer): a page of {@code n} dead letters costs {@code n + 1} requests, whatever the stream
 * holds. A missing stream holds no dead letter. NATS failures become {@code 503} {@link ApiException}s.
 * Thread-safe (jnats' management context is).
 */
final class DeadLetterQueue {

    /** Every dead letter's subject. */
    static final String ALL = MeshConstants.DLQ_SUBJECT_PREFIX + ">";

    private static final int NO_MESSAGE = 10037;
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int DELETE_FAILED = 10057;

    /**
     * One page: the dead letters, oldest first, and the sequence the next page starts at (0 when none is left).
     *
     * @param letters the dead letters
     * @param next    the id of the first dead letter after them, 0 at the end
     */
    record Page(List<StoredDeadLetter> letters, long next) {
        /** Copies the list. */
        Page {
            letters = List.copyOf(letters);
            if (next < 0) {
                throw new IllegalArgumentException("next must not be negative");
            }
        }
    }

    private final JetStreamManagement jsm;

    DeadLetterQueue(JetStreamManagement jsm) {
        this.jsm = jsm;
    }

    /**
     * Up to {@code limit} dead letters on {@code subject} from id {@code from} on, ending early (after at least
     * one) before their payloads pass {@code maxBytes}.
     */
    Page page(String subject, long from, int limit, long maxBytes) {
        List<StoredDeadLetter> letters = new ArrayList<>();
        long bytes = 0;
        for (long seq = from; ; ) {
            MessageInfo m = next(seq, subject);
            if (m == null) {
                return new Page(letters, 0);
            }
            int size = m.getData() == null ? 0 : m.getData().length;
            if (letters.size() == limit || !letters.isEmpty() && bytes + size > maxBytes) {
                return new Page(letters, m.getSeq());
            }
            letters.add(StoredDeadLetter.of(m));
            bytes += size;
            seq = m.getSeq() + 1;
        }
    }

    /** The first dead letter on {@code subject} at id {@code from} or later, or {@code null} when there is none. */
    MessageInfo next(long from, String subject) {
        try {
            return jsm.getNextMessage(MeshConstants.DLQ_STREAM, from, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE || e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw refused(e);
        } catch (IOException e) {
            throw unanswered(e);
        }
    }

    /** The dead letter {@code id}, or {@code null} when there is none. */
    StoredDeadLetter get(long id) {
        try {
            return StoredDeadLetter.of(jsm.getMessage(MeshConstants.DLQ_STREAM, id));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE || e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw refused(e);
        } catch (IOException e) {
            throw unanswered(e);
        }
    }

    /** How many dead letters {@code subject} holds ({@link #ALL} or one route's). */
    long count(String subject) {
        try {
            if (subject.equals(ALL)) {
                return jsm.getStreamInfo(MeshConstants.DLQ_STREAM).getStreamState().getMsgCount();
            }
            StreamInfo info = jsm.getStreamInfo(MeshConstants.DLQ_STREAM, StreamInfoOptions.filterSubjects(subject));
            StreamState state = info.getStreamState();
            return state.getSubjects() == null ? 0
                    : state.getSubjects().stream().filter(s -> s.getName().equals(subject))
                            .mapToLong(Subject::getCount).sum();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return 0;
            }
            throw refused(e);
        } catch (IOException e) {
            throw unanswered(e);
        }
    }

    /** The id of the newest dead letter, 0 when there is none. */
    long lastId() {
        try {
            return jsm.getStreamInfo(MeshConstants.DLQ_STREAM).getStreamState().getLastSequence();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return 0;
            }
            throw refused(e);
        } catch (IOException e) {
            throw unanswered(e);
        }
    }

    /** Deletes dead letter {@code id}; {@code false} when there is none. */
    boolean delete(long id) {
        try {
            return jsm.deleteMessage(MeshConstants.DLQ_STREAM, id);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE || e.getApiErrorCode() == STREAM_NOT_FOUND
                    || e.getApiErrorCode() == DELETE_FAILED && get(id) == null) { // "delete failed", for want of it
                return false;
            }
            throw refused(e);
        } catch (IOException e) {
            throw unanswered(e);
        }
    }

    private static ApiException refused(JetStreamApiException e) {
        return new ApiException(503, "JetStream refused a request on " + MeshConstants.DLQ_STREAM + ": "
                + ApiJson.printable(e.getErrorDescription()) + " (code " + e.getApiErrorCode() + ")", e);
    }

    private static ApiException unanswered(IOException e) {
        return new ApiException(503, "NATS did not answer a request on " + MeshConstants.DLQ_STREAM + ": "
                + ApiJson.printable(e.getMessage()), e);
    }
}
