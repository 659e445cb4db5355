import CSystem
import Endpoints
import Glibc

extension UpstreamEndpoint {
    /// Starts a non-blocking connect; the socket becomes writable when it completes.
    func connect() -> Result<Int32, UpstreamError> {
        switch self {
        case .unixSocket(let path):
            let fd = csystem_unix_connect(path, 1)
            return fd >= 0 ? .success(fd) : .failure(.connectFailed("\(self): \(SocketIO.errorDescription(errno))"))
        case .tcp(let host, let port):
            return Self.connectTCP(host: host, port: port).mapError { .connectFailed("\(self): \($0)") }
        }
    }

    private static func connectTCP(host: String, port: Int) -> Result<Int32, StringError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let info = results else {
            return .failure(StringError("cannot resolve \(host)"))
        }
        defer { freeaddrinfo(results) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(StringError(SocketIO.errorDescription(errno))) }
        if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 && errno != EINPROGRESS {
            let message = SocketIO.errorDescription(errno)
            close(fd)
            return .failure(StringError(message))
        }
        SocketIO.setNoDelay(fd)
        return .success(fd)
    }
}

struct StringError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Why an upstream exchange failed.
public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectFailed(String)
    case closedEarly           // the upstream closed before a complete response
    case malformedResponse(String)
    case timedOut
    case ioFailed(String)

    /// The upstream's side of the connection ended (closed or reset), rather than its bytes being wrong or late.
    var endsTheConnection: Bool {
        switch self {
        case .closedEarly, .ioFailed: true
        case .connectFailed, .malformedResponse, .timedOut: false
        }
    }

    public var description: String {
        switch self {
        case .connectFailed(let detail): "cannot connect to upstream \(detail)"
        case .closedEarly: "upstream closed the connection before the response was complete"
        case .malformedResponse(let detail): "upstream sent a malformed response: \(detail)"
        case .timedOut: "upstream sent nothing within upstream_idle_seconds"
        case .ioFailed(let detail): "upstream I/O failed: \(detail)"
        }
    }
}
