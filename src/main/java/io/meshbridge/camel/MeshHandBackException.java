package io.meshbridge.camel;

/**
 * A step gives the event back without having processed it (its route is paused or stopping, or its
 * destination's client closed before sending): the {@code mesh:} consumer negatively acknowledges it at once,
 * counts no failed attempt, and never dead-letters it for this, so another consumer of the durable (or this one,
 * later) takes it. The server still counts the delivery, as for any message handed back at a stop. Immutable.
 */
public class MeshHandBackException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSE_DEPTH = 64;

    /** A hand-back described by {@code message}. */
    public MeshHandBackException(String message) {
        super(message, null, false, false);
    }

    /** Whether {@code error} or any exception in its cause chain is a {@link MeshHandBackException}. */
    public static boolean isHandBack(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof MeshHandBackException) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }
}
