import Foundation
import HTTPCodec

/// Cross-origin access from browsers, from `cors_origins`. The proxy owns these headers: an
/// upstream's `Access-Control-*` fields (llama-server echoes any Origin) are replaced by the
/// policy's, so a restricted or disabled policy cannot be bypassed through a model.
struct CORSPolicy: Sendable {
    enum Origins: Sendable, Equatable {
        case any
        case listed(Set<String>)
        case disabled
    }

    let origins: Origins

    static let allowedMethods = "GET, HEAD, POST, OPTIONS"
    /// What a preflight allows when it does not say which headers it wants.
    static let defaultAllowedHeaders = "Authorization, Content-Type, X-Api-Key"
    /// How long a browser may cache a preflight answer (browsers cap it lower: Chromium at 2 h).
    static let maxAgeSeconds = 86400

    init(origins: [String]) {
        if origins.isEmpty {
            self.origins = .disabled
        } else if origins.contains("*") {
            self.origins = .any
        } else {
            self.origins = .listed(Set(origins))
        }
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, or nil for none.
    func allowedOrigin(for origin: String?) -> String? {
        switch origins {
        case .any: "*"
        case .listed(let allowed): origin.flatMap { allowed.contains($0) ? $0 : nil }
        case .disabled: nil
        }
    }

    /// Applied to every response head (the proxy's own and proxied ones).
    func finalize(_ headers: inout HTTPHeaders, origin: String?) {
        Self.removeCORSFields(&headers)
        if let allowed = allowedOrigin(for: origin) {
            headers.add(name: "Access-Control-Allow-Origin", value: allowed)
        }
        if case .listed = origins { Self.addVaryOrigin(&headers) }
    }

    /// The whole head of the answer to `OPTIONS` (204): what the browser asked for, when its
    /// origin is allowed.
    func preflightHeaders(for request: HTTPHeaders) -> HTTPHeaders {
        var headers = HTTPHeaders([("Allow", Self.allowedMethods)])
        if case .listed = origins { headers.add(name: "Vary", value: "Origin") }
        guard let allowed = allowedOrigin(for: request["origin"]) else { return headers }
        headers.add(name: "Access-Control-Allow-Origin", value: allowed)
        headers.add(name: "Access-Control-Allow-Methods", value: Self.allowedMethods)
        let requested = request.values(for: "access-control-request-headers").joined(separator: ", ")
        headers.add(name: "Access-Control-Allow-Headers", value: requested.isEmpty ? Self.defaultAllowedHeaders : requested)
        headers.add(name: "Access-Control-Max-Age", value: String(Self.maxAgeSeconds))
        return headers
    }

    private static func removeCORSFields(_ headers: inout HTTPHeaders) {
        guard headers.contains(where: { isCORSField($0.name) }) else { return }
        var kept = HTTPHeaders()
        for field in headers where !isCORSField(field.name) { kept.add(name: field.name, value: field.value) }
        headers = kept
    }

    static func isCORSField(_ name: String) -> Bool {
        let prefix = "access-control-".utf8
        guard name.utf8.count > prefix.count else { return false }
        return zip(name.utf8, prefix).allSatisfy { byte, lower in
            byte == lower || ((0x41...0x5A).contains(byte) && byte + 0x20 == lower)
        }
    }

    private static func addVaryOrigin(_ headers: inout HTTPHeaders) {
        guard let vary = headers["vary"] else {
            headers.add(name: "Vary", value: "Origin")
            return
        }
        let listed = vary.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if !listed.contains("origin") && !listed.contains("*") {
            headers.replaceOrAdd(name: "Vary", value: vary + ", Origin")
        }
    }
}
