import Endpoints

extension HostPort {
    /// Reads `http://host[:port][/]`; the reason it cannot be used otherwise. The request's own
    /// path is kept as the client sent it, so a URL names a server, not a path on it.
    static func parse(_ url: String) -> Result<HostPort, ParseFailure> {
        let lowered = url.lowercased()
        if lowered.hasPrefix("https://") {
            return .failure(ParseFailure(
                "https is not supported (the proxy speaks plain HTTP/1.1); run a TLS sidecar such as stunnel or nginx next to the proxy and give its http:// address"))
        }
        guard lowered.hasPrefix("http://") else {
            return .failure(ParseFailure("expected an http://host:port URL"))
        }
        var rest = Substring(url.dropFirst("http://".count))
        if rest.hasSuffix("/") { rest.removeLast() }
        guard !rest.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) else {
            return .failure(ParseFailure("give the server's root (http://host:port), without a path: requests keep the path the client sent"))
        }
        guard !rest.contains("@") else {
            return .failure(ParseFailure("credentials in the URL are not supported; give `api_key` or `api_key_file`"))
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return .failure(ParseFailure("an IPv6 address must end with ]")) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(ParseFailure("expected :port after the IPv6 address")) }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return .failure(ParseFailure("the host is missing or has spaces or non-ASCII characters"))
        }
        var port = 80
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number), portText.allSatisfy(\.isASCII) else {
                return .failure(ParseFailure("the port must be a number from 1 to 65535"))
            }
            port = number
        }
        return .success(HostPort(host: String(host), port: port))
    }

    struct ParseFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
