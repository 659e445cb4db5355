import HTTPCodec
import ProxyHTTP

/// `GET /` and `/ui`: one HTML page, its script and style inline, no outside assets and no build
/// step. It reads `GET /admin/status`, follows `GET /events` (with `fetch` and a streaming reader,
/// so it can send an admin key as a Bearer token), and loads or unloads with
/// `POST /models/load` and `/models/unload`. When the server answers 401 it asks for the key and
/// keeps it in the tab's `sessionStorage`.
enum StatusPage {
    static func serve(responder: HTTPResponder) {
        responder.respond(status: 200, headers: HTTPHeaders([
            ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache"),
            ("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"),
        ]), body: html)
    }

    static let html = Array(StatusPageHTML.text.utf8)
}
