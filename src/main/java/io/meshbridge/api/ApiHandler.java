package io.meshbridge.api;

/**
 * One API operation. Called on a thread of the HTTP server's worker pool, possibly on several at once: an
 * implementation is thread-safe. It may block (it waits for NATS), for at most a few seconds.
 */
@FunctionalInterface
public interface ApiHandler {

    /**
     * Answers {@code request}.
     *
     * @throws ApiException for a request it refuses (4xx) or cannot answer now (503)
     * @throws Exception    anything else: answered {@code 500} with a generic reason, and logged
     */
    ApiResponse handle(ApiRequest request) throws Exception;
}
