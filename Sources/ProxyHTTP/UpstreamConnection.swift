import Endpoints
import ProxyTime
import Glibc
import HTTPCodec

/// Receives one upstream response, part by part, on the loop.
protocol UpstreamResponseDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ bytes: ArraySlice<UInt8>)
    func upstreamEnd()
    /// `retryable`: a reused keep-alive connection failed before any response byte arrived, so
    /// the upstream never processed the request and it may be sent again on a fresh connection.
    func upstreamFailed(_ error: UpstreamError, retryable: Bool)
}

/// One keep-alive connection to an upstream server. Loop-bound. Between exchanges it waits in its
/// loop's `UpstreamConnectionPool`, still watched so an upstream close is noticed at once.
final class UpstreamConnection: EventLoopHandler, DeadlineSweepable {
    let address: UpstreamEndpoint
    let loop: EventLoop
    private let fd: Int32
    private unowned let pool: UpstreamConnectionPool
    private var parser = HTTPResponseParser()
    private var input = ByteBuffer(capacity: 16 * 1024)
    private var output = OutputQueue()
    private weak var delegate: UpstreamResponseDelegate?
    private var exchangeActive = false
    private var receivedResponseBytes = false
    private var keepAlive = true
    private var readPaused = false
    private var writeInterest = false
    /// Set once the socket moved a byte: before that, any socket error means the connect failed.
    private var connected = false
    private(set) var isClosed = false
    private(set) var exchanges = 0
    private(set) var lastActivity = MonotonicClock.now()
    private let openedAt = MonotonicClock.now()

    init(fd: Int32, address: UpstreamEndpoint, loop: EventLoop, pool: UpstreamConnectionPool) {
        self.fd = fd
        self.address = address
        self.loop = loop
        self.pool = pool
        loop.register(fd, interest: [.read, .write], handler: self)
        writeInterest = true
        loop.addSweepable(self)
    }

    /// Sends a request (head bytes and body, already framed) and reports the response to `delegate`.
    func send(method: String, head: [UInt8], body: [UInt8], delegate: UpstreamResponseDelegate) {
        loop.assertInLoop()
        self.delegate = delegate
        exchangeActive = true
        receivedResponseBytes = false
        exchanges += 1
        lastActivity = MonotonicClock.now()
        parser.expectResponse(toMethod: method)
        output.append(head)
        if !body.isEmpty { output.append(body[...]) }
        flush()
    }

    /// The client went away: drop the exchange and the connection, so the upstream notices and
    /// stops generating.
    func abandon() {
        loop.assertInLoop()
        delegate = nil
        close()
    }

    func pauseReading() { setReadPaused(true) }
    func resumeReading() {
        guard readPaused else { return }
        setReadPaused(false)
        // Bytes that were already buffered while paused are delivered now.
        if !input.isEmpty { deliverParts() }
    }

    // MARK: events

    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        loop.assertInLoop()
        if writable { flush() }
        if readable && !readPaused && !isClosed { readAvailable() }
        if hangup && !readable && !isClosed { inputEnded() }
    }

    func sweep(now: UInt64) {
        if !connected, exchangeActive, let limit = pool.connectTimeout, now >= openedAt &+ limit {
            fail(.connectFailed("\(address): not connected within \(Double(limit) / 1e9) s"))
            return
        }
        guard exchangeActive, !readPaused, let limit = pool.idleTimeout, now >= lastActivity &+ limit else { return }
        fail(.timedOut)
    }

    private func readAvailable() {
        var outcome = SocketIO.ReadResult.wouldBlock
        _ = input.writeWithUnsafeMutableBytes(minimumWritable: 32 * 1024) { raw in
            outcome = SocketIO.read(fd, into: raw)
            if case .bytes(let count) = outcome { return count }
            return 0
        }
        switch outcome {
        case .bytes:
            connected = true
            guard exchangeActive else {
                // An idle connection must stay silent; anything else makes it unusable.
                close()
                return
            }
            receivedResponseBytes = true
            lastActivity = MonotonicClock.now()
            deliverParts()
        case .wouldBlock:
            return
        case .closed:
            inputEnded()
        case .failed(let code):
            socketFailed(code)
        }
    }

    private func deliverParts() {
        do {
            while exchangeActive, !readPaused, let part = try parser.next(&input) {
                switch part {
                case .head(let head):
                    // llama-server (cpp-httplib) closes the connection after a streamed (chunked)
                    // answer although its head says keep-alive; reusing it would only fail.
                    keepAlive = head.keepAlive && !head.headers.contains("transfer-encoding")
                    delegate?.upstreamHead(head)
                case .body(let bytes):
                    delegate?.upstreamBody(bytes)
                case .end:
                    finishExchange()
                }
            }
            if input.readerIndex > 64 * 1024 { input.discardReadBytes() }
        } catch {
            fail(.malformedResponse(error.message))
        }
    }

    private func inputEnded() {
        guard exchangeActive else {
            close()
            return
        }
        do {
            if let part = try parser.inputClosed(), part == .end {
                keepAlive = false
                finishExchange()
                return
            }
            fail(.closedEarly)
        } catch {
            fail(.closedEarly)
        }
    }

    private func finishExchange() {
        exchangeActive = false
        let delegate = self.delegate
        self.delegate = nil
        lastActivity = MonotonicClock.now()
        if keepAlive && input.isEmpty && output.isEmpty && !isClosed {
            pool.checkIn(self)
        } else {
            close()
        }
        delegate?.upstreamEnd()
    }

    private func fail(_ error: UpstreamError) {
        let retryable = !receivedResponseBytes && exchanges > 1 && error != .timedOut
        let delegate = exchangeActive ? self.delegate : nil
        exchangeActive = false
        self.delegate = nil
        close()
        delegate?.upstreamFailed(error, retryable: retryable)
    }

    private func flush() {
        guard !isClosed else { return }
        let unsent = output.pendingBytes
        let result = output.flush(to: fd)
        if output.pendingBytes < unsent { connected = true }
        switch result {
        case .drained:
            if writeInterest {
                writeInterest = false
                updateInterest()
            }
        case .wouldBlock:
            if !writeInterest {
                writeInterest = true
                updateInterest()
            }
        case .failed(let code):
            socketFailed(code)
        }
    }

    private func socketFailed(_ code: Int32) {
        if !connected {
            fail(.connectFailed("\(address): \(SocketIO.errorDescription(code))"))
        } else if code == EPIPE || code == ECONNRESET {
            fail(.closedEarly)
        } else {
            fail(.ioFailed(SocketIO.errorDescription(code)))
        }
    }

    private func setReadPaused(_ paused: Bool) {
        guard paused != readPaused else { return }
        readPaused = paused
        updateInterest()
    }

    private func updateInterest() {
        guard !isClosed else { return }
        loop.setInterest(fd, reading: !readPaused, writing: writeInterest)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        output.removeAll()
        pool.remove(self)
        loop.removeSweepable(self)
        loop.deregister(fd)
        Glibc.close(fd)
    }
}
