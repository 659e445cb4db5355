import Endpoints
import CSystem
import Glibc

extension UpstreamEndpoint {
    /// Whether an immediate connect shows that nothing listens here any more: a UNIX socket
    /// answers at once (refused, or the file gone); a TCP connect only when its refusal is there
    /// without waiting (as on loopback). Anything else (accepted, in progress, a full backlog, a name
    /// to resolve) counts as listening: this never blocks, and never guesses "gone".
    func refusesConnections() -> Bool {
        switch self {
        case .unixSocket(let path):
            let fd = csystem_unix_connect(path, 1)
            guard fd < 0 else {
                close(fd)
                return false
            }
            return errno == ECONNREFUSED || errno == ENOENT
        case .tcp(let host, let port):
            return Self.tcpConnectIsRefused(host: host, port: port)
        }
    }

    private static func tcpConnectIsRefused(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let info = results else { return false }
        defer { freeaddrinfo(results) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return false }
        guard errno == EINPROGRESS else { return errno == ECONNREFUSED }
        // On loopback the refusal has arrived by the time connect returns; a zero timeout asks
        // without waiting (a remote host's answer is simply not there yet: "listening").
        var poll = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard Glibc.poll(&poll, 1, 0) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == ECONNREFUSED
    }
}
