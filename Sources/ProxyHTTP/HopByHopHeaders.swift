import Foundation
import HTTPCodec

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy never
/// forwards them; it frames each side itself.
enum HopByHopHeaders {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "proxy-authenticate", "proxy-authorization", "expect", "content-length",
    ]

    static func stripped(_ headers: HTTPHeaders) -> HTTPHeaders {
        var extra = Set<String>()
        if let connection = headers["connection"] {
            for token in connection.split(separator: ",") {
                extra.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        var result = HTTPHeaders()
        for (name, value) in headers {
            let lowered = name.lowercased()
            if !names.contains(lowered) && !extra.contains(lowered) { result.add(name: name, value: value) }
        }
        return result
    }
}
