import Endpoints
import CSystem
import Glibc

/// Blocking client sockets with send and receive timeouts, for the health probe (and for agents'
/// loopback calls, with no timeout: 0 means none).
public enum BlockingSocket {
    /// A connected descriptor, or -1.
    public static func connect(_ endpoint: UpstreamEndpoint, timeout: Double) -> Int32 {
        switch endpoint {
        case .unixSocket(let path):
            // A UNIX connect never waits: it succeeds or fails at once.
            let fd = csystem_unix_connect(path, 0)
            if fd >= 0 { setTimeouts(fd, timeout) }
            return fd
        case .tcp(let host, let port):
            return connectTCP(host: host, port: port, timeout: timeout)
        }
    }

    private static func connectTCP(host: String, port: Int, timeout: Double) -> Int32 {
        switch connectTCPReporting(host: host, port: port, timeout: timeout) {
        case .success(let fd): fd
        case .failure: -1
        }
    }

    /// Why a TCP connect to `endpoint` fails within `timeout` (0: the kernel's limit), e.g.
    /// "Connection refused"; nil when it connects (the connection is closed at once). A UNIX socket
    /// is always taken as reachable here.
    public static func connectFailure(_ endpoint: UpstreamEndpoint, timeout: Double) -> String? {
        guard case .tcp(let host, let port) = endpoint else { return nil }
        switch connectTCPReporting(host: host, port: port, timeout: timeout) {
        case .success(let fd):
            close(fd)
            return nil
        case .failure(let failure):
            return failure.reason
        }
    }

    struct ConnectFailure: Error {
        var reason: String
    }

    private static func connectTCPReporting(host: String, port: Int, timeout: Double) -> Result<Int32, ConnectFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0 else {
            return .failure(ConnectFailure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))"))
        }
        defer { freeaddrinfo(list) }
        var failure = ConnectFailure(reason: "no address for \(host)")
        var entry = list
        while let info = entry?.pointee {
            let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            if fd >= 0 {
                setTimeouts(fd, timeout)  // SO_SNDTIMEO bounds connect() too
                if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return .success(fd) }
                let code = errno
                failure.reason = code == EINPROGRESS || code == EAGAIN
                    ? "no answer within \(timeout) s" : String(cString: strerror(code))
                close(fd)
            } else {
                failure.reason = String(cString: strerror(errno))
            }
            entry = info.ai_next
        }
        return .failure(failure)
    }

    static func setTimeouts(_ fd: Int32, _ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, size)
    }

    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a peer that hung up must not SIGPIPE the proxy.
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}
