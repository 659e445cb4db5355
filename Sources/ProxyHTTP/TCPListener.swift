import Glibc

/// A listening TCP socket, shared by every event loop (each registers it with EPOLLEXCLUSIVE,
/// so the kernel hands each connection to one loop). It is bound without SO_REUSEPORT on
/// purpose: a second process asking for the same port must fail, not split the traffic between
/// two pools on one GPU.
struct TCPListener {
    let fd: Int32
    let port: Int

    struct BindError: Error, CustomStringConvertible {
        let description: String
    }

    static func bind(host: String, port: Int) throws(BindError) -> TCPListener {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let info = results else {
            throw BindError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BindError(description: "socket: \(SocketIO.errorDescription(errno))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let message = SocketIO.errorDescription(errno)
            close(fd)
            throw BindError(description: "cannot listen on \(host):\(port): \(message)")
        }
        guard listen(fd, 1024) == 0 else {
            let message = SocketIO.errorDescription(errno)
            close(fd)
            throw BindError(description: "listen: \(message)")
        }
        return TCPListener(fd: fd, port: boundPort(fd) ?? port)
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        return withUnsafeBytes(of: storage) { raw -> Int in
            // sin_port and sin6_port both sit at offset 2, in network byte order.
            return Int(raw[2]) << 8 | Int(raw[3])
        }
    }
}
