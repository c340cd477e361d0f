package io.meshbridge.api;

import io.meshbridge.events.Bus;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/history/last}: the last stored message of every subject matching a filter, e.g. the latest
 * {@code node.health} of every node. The stream's info with a subjects filter lists the matching subjects
 * (refused when there are more than {@link #MAX_SUBJECTS}), then one last-message-by-subject get per subject
 * (as nats-server 2.9 answers them). A subject whose messages went between the two is left out: it has none
 * any more. Only the stream is asked; a stream that does not exist has no subjects. Thread-safe.
 */
final class LastEvents {

    /** The most subjects one answer covers. */
    static final int MAX_SUBJECTS = 1000;

    private static final int STREAM_NOT_FOUND = 10059;
    private static final int NO_MESSAGE = 10037;

    /**
     * The last message of each subject, ordered by stream sequence.
     *
     * @param events      the events
     * @param undecodable the last messages that are not events
     */
    record Answer(List<ReceivedEvent> events, List<EventDecodeException> undecodable) {
        /** Freezes the lists. */
        Answer {
            events = List.copyOf(events);
            undecodable = List.copyOf(undecodable);
        }
    }

    private final JetStreamManagement jsm;
    private final String stream;
    private final EventCodec codec;

    LastEvents(Connection connection, String stream) throws IOException {
        this.jsm = connection.jetStreamManagement();
        this.stream = stream;
        this.codec = Bus.codecFor(connection);
    }

    /**
     * The last message of every subject matching {@code filter}.
     *
     * @throws ApiException 400 naming {@code filter} when it matches more than {@link #MAX_SUBJECTS} subjects
     */
    Answer last(String filter) throws IOException, JetStreamApiException {
        List<Subject> subjects;
        try {
            StreamInfo info = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(filter));
            subjects = info.getStreamState().getSubjects() == null ? List.of() : info.getStreamState().getSubjects();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return new Answer(List.of(), List.of());
            }
            throw e;
        }
        if (subjects.size() > MAX_SUBJECTS) {
            throw ApiException.badRequest("filter " + ApiJson.printable(filter) + " matches " + subjects.size()
                    + " subjects, more than the " + MAX_SUBJECTS + " one answer covers: narrow it");
        }
        List<Object> entries = new ArrayList<>(subjects.size());
        for (Subject subject : subjects) {
            MessageInfo m;
            try {
                m = jsm.getLastMessage(stream, subject.getName());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == NO_MESSAGE) {
                    continue;
                }
                throw e;
            }
            entries.add(decode(m));
        }
        entries.sort(Comparator.comparingLong(LastEvents::sequence));
        List<ReceivedEvent> events = new ArrayList<>();
        List<EventDecodeException> undecodable = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof ReceivedEvent e) {
                events.add(e);
            } else {
                undecodable.add((EventDecodeException) entry);
            }
        }
        return new Answer(events, undecodable);
    }

    private Object decode(MessageInfo m) {
        StreamPosition position = new StreamPosition(stream, m.getSeq(), m.getTime().toInstant());
        String id = m.getHeaders() == null ? null : m.getHeaders().getFirst(Bus.MSG_ID_HEADER);
        try {
            return codec.decode(m.getSubject(), m.getData()).withDelivery(id, position);
        } catch (EventDecodeException e) {
            return e.at(position);
        }
    }

    /** The stream sequence of an entry, a {@link ReceivedEvent} or an {@link EventDecodeException}. */
    static long sequence(Object entry) {
        return entry instanceof ReceivedEvent e ? e.position().sequence()
                : ((EventDecodeException) entry).position().sequence();
    }
}
