import Endpoints
/// The llama.cpp RPC servers (`ggml-rpc-server`) a model's layers may be placed on, as named by
/// llama-server's `--rpc host:port[,host:port...]` argument.
public enum RPCServers {
    /// The servers named by the last `--rpc` in `arguments` (llama-server keeps the last one of a
    /// repeated flag), in order; empty when there is none.
    public static func list(in arguments: [String]) throws(RPCServerAddressError) -> [HostPort] {
        var value: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--rpc" {
                guard index + 1 < arguments.endIndex else { throw RPCServerAddressError(text: nil, reason: "--rpc needs a value") }
                value = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--rpc=") {
                value = String(argument.dropFirst("--rpc=".count))
            }
            index += 1
        }
        guard let value else { return [] }
        var servers: [HostPort] = []
        for entry in value.split(separator: ",", omittingEmptySubsequences: false) {
            let server = try parse(String(entry))
            if !servers.contains(server) { servers.append(server) }
        }
        return servers
    }

    /// `host:port` or `[v6]:port`, port 1 to 65535.
    public static func parse(_ text: String) throws(RPCServerAddressError) -> HostPort {
        let entry = Substring(text)
        guard let colon = entry.lastIndex(of: ":") else {
            throw RPCServerAddressError(text: text, reason: "expected host:port")
        }
        var host = Substring(entry[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains(where: { $0 == "[" || $0 == "]" || $0 == " " }) else {
            throw RPCServerAddressError(text: text, reason: "expected host:port, with a host")
        }
        guard let port = Int(entry[entry.index(after: colon)...]), (1...65_535).contains(port) else {
            throw RPCServerAddressError(text: text, reason: "the port must be a number from 1 to 65535")
        }
        return HostPort(host: String(host), port: port)
    }
}

/// Why a `--rpc` value is not a list of `host:port`.
public struct RPCServerAddressError: Error, Equatable, CustomStringConvertible {
    /// The entry refused; nil when `--rpc` has no value at all.
    public var text: String?
    public var reason: String

    public var description: String {
        text.map { "--rpc entry \"\($0)\": \(reason)" } ?? reason
    }
}
