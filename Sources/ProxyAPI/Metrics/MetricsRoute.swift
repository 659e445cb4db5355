/// The `route` label: a path the proxy or llama-server knows, else `other`, so that clients
/// inventing paths cannot grow the number of series.
enum MetricsRoute {
    static func label(for path: Substring) -> String {
        known.contains(path) ? String(path) : "other"
    }

    static let known: Set<Substring> = [
        // The proxy's own.
        "/health", "/metrics", "/v1/models", "/models", "/v1/agents",
        // OpenAI's, as llama-server serves them.
        "/v1/chat/completions", "/chat/completions", "/v1/completions", "/completions", "/v1/embeddings", "/embeddings",
        "/v1/responses", "/v1/messages", "/v1/messages/count_tokens", "/v1/rerank", "/v1/reranking", "/rerank", "/reranking",
        "/v1/audio/transcriptions", "/v1/audio/speech", "/v1/images/generations", "/v1/images/edits",
        // llama-server's own.
        "/completion", "/embedding", "/infill", "/tokenize", "/detokenize", "/apply-template", "/props", "/slots",
    ]
}
