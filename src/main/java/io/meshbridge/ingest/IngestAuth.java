package io.meshbridge.ingest;

/**
 * Who may use the ingest: checks the {@code Authorization: Bearer <token>} of a request against the
 * configured tokens ({@link IngestTokens#match}, constant time) and grants what the token allows. With
 * {@link IngestConfig.Auth#NONE} everyone gets an unrestricted grant. Secrets never appear in a reason.
 * Immutable and thread-safe.
 */
final class IngestAuth {

    private final IngestConfig.Auth mode;
    private final IngestTokens tokens;

    IngestAuth(IngestConfig.Auth mode, IngestTokens tokens) {
        this.mode = mode;
        this.tokens = tokens;
    }

    /**
     * The grant of the request's {@code Authorization} header.
     *
     * @throws IngestFailure 401 without a header, with another scheme, or with an unknown token
     */
    Grant authenticate(String authorization) throws IngestFailure {
        if (mode == IngestConfig.Auth.NONE) {
            return Grant.OPEN;
        }
        if (tokens.isEmpty()) {
            throw new IngestFailure(401, "ingest is locked: no token is configured; set mesh.ingest.tokens (or"
                    + " MESH_INGEST_TOKENS, or mesh.ingest.tokens-file) to NAME:SECRET entries, or open it with"
                    + " mesh.ingest.auth=none");
        }
        if (authorization == null || authorization.isBlank()) {
            throw new IngestFailure(401, "missing Authorization: Bearer <token>");
        }
        String a = authorization.trim();
        if (!a.regionMatches(true, 0, "bearer", 0, 6) || a.length() > 6 && a.charAt(6) != ' ') {
            throw new IngestFailure(401, "Authorization must use the Bearer scheme");
        }
        IngestToken token = tokens.match(a.substring(6).trim());
        if (token == null) {
            throw new IngestFailure(401, "unknown token");
        }
        return new Grant(token);
    }

    /** What an authenticated request may do: its token, or {@code null} for an open ingest. */
    static final class Grant {
        static final Grant OPEN = new Grant(null);

        private final IngestToken token;

        private Grant(IngestToken token) {
            this.token = token;
        }

        /** The key of the rate limit's bucket. */
        String key() {
            return token == null ? "" : token.name();
        }

        String describe() {
            return token == null ? "the open ingest" : "token " + token.name();
        }

        /** Refuses a topic outside the token's prefixes (403). */
        void requireTopic(String topic) throws IngestFailure {
            if (token != null && !token.allows(topic)) {
                throw new IngestFailure(403, "token " + token.name() + " may not emit to topic '" + topic
                        + "' (its topics: " + String.join(", ", token.topics()) + ")");
            }
        }

        /**
         * The node of the request's events: the token's bound node, else the claimed one ({@code X-Mesh-Node}),
         * else {@code fallback}.
         *
         * @throws IngestFailure 400 for an invalid name, 403 for one other than the bound node
         */
        String node(String claimed, String fallback) throws IngestFailure {
            if (claimed != null) {
                String problem = TopicRules.nodeProblem(claimed);
                if (problem != null) {
                    throw new IngestFailure(400, "X-Mesh-Node: " + problem);
                }
            }
            if (token != null && token.node() != null) {
                if (claimed != null && !claimed.equals(token.node())) {
                    throw new IngestFailure(403, "token " + token.name() + " is bound to node " + token.node()
                            + "; X-Mesh-Node may not claim another");
                }
                return token.node();
            }
            return claimed != null ? claimed : fallback;
        }
    }
}
