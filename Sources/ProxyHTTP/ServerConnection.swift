import ProxyTime
import Glibc
import HTTPCodec

/// One accepted client socket: reads into the state machine, carries out its actions, and writes
/// what the responder queues. Loop-bound.
final class ServerConnection: EventLoopHandler, DeadlineSweepable {
    let fd: Int32
    let loop: EventLoop
    private let handler: HTTPRequestHandler
    private let tracker: ConnectionTracker
    private var machine: ServerConnectionStateMachine
    private var output = OutputQueue()
    private var responder: HTTPResponder?
    private var writeInterest = false
    private var flushScheduled = false
    private var driveScheduled = false
    private var readPaused = false
    private var closeWhenFlushed = false
    private(set) var isClosed = false
    /// A client that takes none of its response for this long is dropped (and its upstream
    /// request abandoned), so a vanished reader cannot hold a llama-server slot for ever.
    private let stalledWriteLimit: UInt64?
    private var lastWriteProgress: UInt64 = 0

    init(fd: Int32, loop: EventLoop, handler: HTTPRequestHandler, tracker: ConnectionTracker,
         limits: HTTPParserLimits, timeouts: ServerConnectionStateMachine.Timeouts) {
        self.fd = fd
        self.loop = loop
        self.handler = handler
        self.tracker = tracker
        machine = ServerConnectionStateMachine(now: MonotonicClock.now(), limits: limits, timeouts: timeouts)
        stalledWriteLimit = timeouts.keepAlive
    }

    var pendingOutputBytes: Int { output.pendingBytes }

    func start() {
        tracker.connectionOpened()
        loop.register(fd, interest: .read, handler: self)
        loop.addSweepable(self)
    }

    // MARK: events

    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        loop.assertInLoop()
        if writable { flush() }
        if readable && !isClosed { readAvailable() }
        if hangup && !isClosed && !readable { perform(machine.peerClosed()) }
    }

    func sweep(now: UInt64) {
        if writeInterest, let limit = stalledWriteLimit, now >= lastWriteProgress &+ limit {
            close()
            return
        }
        perform(machine.tick(now: now))
    }

    private func readAvailable() {
        let result = machine.withInputBuffer { buffer -> SocketIO.ReadResult in
            var outcome = SocketIO.ReadResult.wouldBlock
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritable: 16 * 1024) { raw in
                outcome = SocketIO.read(fd, into: raw)
                if case .bytes(let count) = outcome { return count }
                return 0
            }
            return outcome
        }
        switch result {
        case .bytes:
            drive()
        case .wouldBlock:
            return
        case .closed, .failed:
            perform(machine.peerClosed())
        }
    }

    /// Runs the state machine until it has nothing more to do. This loop, not recursion, takes
    /// pipelined requests one after another: a response finished inside `handle` only moves the
    /// machine on, and the next turn of this `while` delivers the next request.
    private func drive() {
        let now = MonotonicClock.now()
        while !isClosed, let action = machine.nextAction(now: now) {
            perform(action)
        }
        updateReadInterest()
    }

    private func perform(_ action: ServerConnectionStateMachine.Action?) {
        guard let action else { return }
        switch action {
        case .sendContinue:
            write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)[...])
        case .deliver(let head, let body):
            let responder = HTTPResponder(loop: loop, requestHead: head, connection: self)
            self.responder = responder
            tracker.requestStarted()
            handler.handle(HTTPServerRequest(head: head, body: body, receivedAt: MonotonicClock.now()), responder: responder)
        case .sendErrorAndClose(let status, let message):
            sendPlainError(status: status, message: message)
        case .abortResponse:
            let gone = responder
            finishRequest()
            gone?.clientGone()
            close()
        case .close:
            closeAfterFlush()
        }
    }

    // MARK: responder interface

    func write(_ bytes: ArraySlice<UInt8>) {
        loop.assertInLoop()
        guard !isClosed else { return }
        output.append(bytes)
        // Flush once the loop has handled the current events, so a head, its body and a chunk's
        // framing written in one turn leave in one syscall (and one segment for the client).
        if !writeInterest && !flushScheduled {
            flushScheduled = true
            loop.enqueueInLoop { [self] in
                flushScheduled = false
                flush()
            }
        }
    }

    /// Whether the connection stays open after the response being written.
    var keepsAliveAfterResponse: Bool { machine.keepsAlive }

    /// The response must end the connection (a close-delimited body).
    func closeAfterResponse() { machine.closeAfterResponse() }

    func responseFinished() {
        loop.assertInLoop()
        finishRequest()
        perform(machine.responseFinished(now: MonotonicClock.now(), pendingOutput: output.pendingBytes))
        scheduleDrive()
    }

    /// Takes the next request on a later turn of the loop, never from inside the call that
    /// finished the previous one (which may itself run inside `drive`).
    private func scheduleDrive() {
        guard !isClosed, !driveScheduled else { return }
        driveScheduled = true
        loop.enqueueInLoop { [self] in
            driveScheduled = false
            if !isClosed { drive() }
        }
    }

    /// Closes at once, dropping output the client has not taken.
    func closeNow() {
        loop.assertInLoop()
        close()
    }

    func closeAfterFlush() {
        loop.assertInLoop()
        finishRequest()
        closeWhenFlushed = true
        if output.isEmpty { close() } else { flush() }
    }

    // MARK: internals

    private func finishRequest() {
        if responder != nil {
            responder = nil
            tracker.requestFinished()
        }
    }

    private func flush() {
        guard !isClosed else { return }
        let pendingBefore = output.pendingBytes
        defer { if writeInterest && output.pendingBytes < pendingBefore { lastWriteProgress = MonotonicClock.now() } }
        switch output.flush(to: fd) {
        case .drained:
            if writeInterest {
                writeInterest = false
                updateInterest()
            }
            // Flushes never run inside a responder call (writes only schedule them), so telling
            // the responder here cannot re-enter its sendBody.
            if closeWhenFlushed {
                close()
            } else if let responder {
                responder.outputDrained()
            } else if machine.outputDrained(now: MonotonicClock.now()) {
                scheduleDrive()
            }
        case .wouldBlock:
            if !writeInterest {
                lastWriteProgress = MonotonicClock.now()
                writeInterest = true
                updateInterest()
            }
        case .failed:
            let gone = responder
            finishRequest()
            gone?.clientGone()
            close()
        }
    }

    private func updateReadInterest() {
        let pause = !machine.wantsMoreInput
        if pause != readPaused {
            readPaused = pause
            updateInterest()
        }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        loop.setInterest(fd, reading: !readPaused, writing: writeInterest)
    }

    private func sendPlainError(status: Int, message: String) {
        let body = ErrorResponseBody.json(message: message, type: "invalid_request_error", code: String(status))
        var head = HTTPResponseHead(
            version: .http1_1, status: status, reason: HTTPStatus.reasonPhrase(status), headers: HTTPHeaders())
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        var bytes = [UInt8]()
        head.write(into: &bytes)
        bytes.append(contentsOf: body)
        write(bytes[...])
        closeAfterFlush()
    }

    private func close() {
        guard !isClosed else { return }
        isClosed = true
        let gone = responder
        finishRequest()
        gone?.clientGone()
        output.removeAll()
        loop.removeSweepable(self)
        loop.deregister(fd)
        Glibc.close(fd)
        tracker.connectionClosed()
    }
}
