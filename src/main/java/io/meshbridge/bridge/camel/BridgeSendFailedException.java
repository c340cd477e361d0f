package io.meshbridge.bridge.camel;

/**
 * A retriable failure of a bridge send (no confirmation in time, the connection down, a broker error): the
 * {@code mesh:} consumer retries the event on its {@code backoff}. Its message names the broker and the
 * reason, never a secret.
 */
public class BridgeSendFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public BridgeSendFailedException(String message) {
        super(message, null, false, false);
    }
}
