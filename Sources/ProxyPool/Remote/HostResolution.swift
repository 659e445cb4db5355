import Glibc

/// Host names to numeric addresses, so an event loop connects without asking DNS (a blocking
/// call): names are resolved on the threads that check health, and the loop gets the result.
public enum HostResolution {
    /// The first address `host` resolves to, as text (`127.0.0.1`, `::1`); nil if it does not.
    /// Blocks for as long as the resolver takes: never call it on an event loop.
    public static func numericAddress(of host: String) -> String? {
        if isNumeric(host) { return host }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let info = list else { return nil }
        defer { freeaddrinfo(list) }
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every address `host` resolves to, as text, in the resolver's order without repeats; or
    /// the resolver's reason when it does not resolve. Blocks: never call it on an event loop.
    public static func allAddresses(of host: String) -> Result<[String], HostResolutionError> {
        if isNumeric(host) { return .success([host]) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { return .failure(HostResolutionError(String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var next = list
        while let info = next {
            next = info.pointee.ai_next
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !addresses.contains(address) { addresses.append(address) }
        }
        return addresses.isEmpty ? .failure(HostResolutionError("no address")) : .success(addresses)
    }

    /// An IPv4 or IPv6 address written out (no lookup needed).
    public static func isNumeric(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }
}

/// Why a name did not resolve (the resolver's own words).
public struct HostResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
