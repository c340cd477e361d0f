package io.meshbridge.bridge;

/**
 * A broker did not confirm a message: {@link #permanent()} when sending it again cannot help (the broker
 * refused it: not authorised, too large, an invalid topic), otherwise worth retrying (no answer in time, the
 * connection down, a broker error). The message names the broker's reason and never a secret. Immutable.
 */
public final class SendException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    /** A failure described by {@code message}; {@code permanent} when a retry cannot help. */
    public SendException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    /** Whether a retry cannot help. */
    public boolean permanent() {
        return permanent;
    }
}
