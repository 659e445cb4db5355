import HTTPCodec
import ProxyHTTP

/// An agent's text answered as a chat completion any OpenAI client accepts: one JSON object, or
/// SSE chunks ending with `data: [DONE]` when the request asked to stream.
enum AgentReply {
    static func send(_ text: String, model: String, stream: Bool, to responder: HTTPResponder) {
        send(text, format: AgentReplyFormat(model: model), stream: stream, to: responder)
    }

    static func send(_ text: String, format: AgentReplyFormat, stream: Bool, to responder: HTTPResponder) {
        guard stream else {
            responder.respond(status: 200, headers: AgentReplyFormat.jsonHeaders, body: format.whole(text))
            return
        }
        responder.sendHead(AgentReplyFormat.streamHead)
        responder.sendBody(format.firstChunk(text)[...])
        responder.sendBody(format.stopChunk[...])
        responder.sendBody(AgentReplyFormat.done[...])
        responder.finish()
    }
}
