import CSystem
import Glibc

/// Thin, allocation-free wrappers over the socket calls the event loop needs.
enum SocketIO {
    enum ReadResult { case bytes(Int), wouldBlock, closed, failed(Int32) }
    enum WriteResult { case wrote(Int), wouldBlock, failed(Int32) }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Bytes a client socket may hold that the peer has not yet been sent. Without a bound the
    /// kernel grows the send buffer (up to `tcp_wmem`'s maximum, 4 MiB) for a peer that advertises
    /// a zero window, so writes to a client that reads nothing keep "succeeding" and its stall is
    /// never seen. With it, such writes block and the connection's stalled-write limit applies.
    static let unsentOutputLimit: Int32 = 256 * 1024

    static func limitUnsentOutput(_ fd: Int32) {
        var limit = unsentOutputLimit
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NOTSENT_LOWAT, &limit, socklen_t(MemoryLayout<Int32>.size))
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET: return .closed
            default: return .failed(errno)
            }
        }
    }

    /// writev(2) as sendmsg(2) with MSG_NOSIGNAL: a write to a client that hung up must fail with
    /// EPIPE, not raise SIGPIPE, which kills any host process that has not ignored it (test runners).
    static func send(_ fd: Int32, _ vectors: UnsafeMutableBufferPointer<iovec>) -> WriteResult {
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = vectors.count
        while true {
            let count = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .wrote(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    static func errorDescription(_ code: Int32) -> String { String(cString: strerror(code)) }
}
