package io.meshbridge.cli;

import io.nats.client.JetStreamApiException;

/** One-line messages for JetStream failures of the commands that talk to a stream. */
final class JetStreamErrors {

    /** JetStream's error code for "stream not found". */
    static final int STREAM_NOT_FOUND = 10059;

    private JetStreamErrors() {
    }

    /** The failure of a JetStream request about {@code stream} on the server at {@code url}. */
    static CliException of(Exception e, String stream, String url) {
        if (e instanceof JetStreamApiException api) {
            if (api.getApiErrorCode() == STREAM_NOT_FOUND) {
                return CliException.runtime("stream " + stream + " not found on " + url, e);
            }
            return CliException.runtime("JetStream on " + url + " refused the request for stream " + stream
                    + ": " + api.getErrorDescription() + " (code " + api.getApiErrorCode() + ")", e);
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return CliException.runtime("JetStream request for stream " + stream + " on " + url + " failed: "
                + reason + (reason.contains("Timeout") || reason.contains("503") ? " (is JetStream enabled?)" : ""),
                e);
    }
}
