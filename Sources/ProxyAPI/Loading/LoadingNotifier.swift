import Foundation
import ProxyHTTP
import ProxyPool
import ProxyTime

/// Runs one waiting request's `LoadingProgress`: a deadline on the timer thread per tick, which
/// hops to the request's loop, reads its model's state from the pool and writes the steps to the
/// request's `EarlyEventStream`. Loop-bound (only the timer's hop crosses threads); it ends when
/// the wait does (`finish`) or the client leaves.
final class LoadingNotifier: @unchecked Sendable {
    let stream: EarlyEventStream
    private var progress: LoadingProgress
    private let pool: ServerPool
    private var timer: TimerThread.Token?
    private var isFinished = false
    /// Whose state the ticks read: the model's, or the replica the pool queued the request for.
    private var poolModelID: String

    /// A notifier for a request that may have to wait for `launch`'s model, or nil when it would
    /// never say anything: the request does not stream, or the model's notices are off.
    /// `stream` is the request's event stream if an earlier wait of it started one.
    static func make(
        path: Substring, streams: Bool, launch: ModelLaunch, pool: ServerPool, responder: HTTPResponder,
        stream: EarlyEventStream?
    ) -> LoadingNotifier? {
        guard streams, let interval = launch.notices.interval else { return nil }
        let style: LoadingProgress.Style
        if launch.notices.asReasoning && chatPaths.contains(path) {
            let id = "chatcmpl-loading-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            style = .reasoning(id: id, created: Int(WallClock.now().unixSeconds))
        } else {
            style = .comments
        }
        let stream = stream ?? EarlyEventStream(responder: responder)
        let progress = LoadingProgress(
            modelID: launch.spec.modelID, style: style, intervalSeconds: interval, waitingSince: MonotonicClock.now(),
            isStreaming: stream.isStarted)
        return LoadingNotifier(stream: stream, progress: progress, pool: pool)
    }

    static let chatPaths: Set<Substring> = ["/v1/chat/completions", "/chat/completions"]

    private init(stream: EarlyEventStream, progress: LoadingProgress, pool: ServerPool) {
        self.stream = stream
        self.progress = progress
        self.pool = pool
        poolModelID = progress.modelID
    }

    /// Arms the first tick (the request joined the queue of `ticket`'s model or replica). After
    /// `finish`, nothing.
    func begin(_ ticket: AcquireTicket) {
        stream.responder.loop.assertInLoop()
        guard !isFinished else { return }
        poolModelID = ticket.modelID
        armTimer()
    }

    /// The wait is over (served, failed or cancelled): no more ticks. Served, a reasoning stream
    /// gets its last line. Returns the event stream if it was started, for the answer to continue.
    func finish(served: Bool) -> EarlyEventStream? {
        stream.responder.loop.assertInLoop()
        if !isFinished {
            isFinished = true
            if let timer { TimerThread.shared.cancel(timer) }
            timer = nil
            if served { perform(progress.served(now: MonotonicClock.now())) }
        }
        return stream.isStarted ? stream : nil
    }

    private func armTimer() {
        let loop = stream.responder.loop
        timer = TimerThread.shared.schedule(at: progress.nextTick) { [self] in
            loop.execute { [self] in tick() }
        }
    }

    private func tick() {
        guard !isFinished, !stream.responder.isClientGone else { return }
        perform(progress.tick(now: MonotonicClock.now(), model: pool.state(of: poolModelID)))
        armTimer()
    }

    private func perform(_ steps: [LoadingProgress.Step]) {
        for step in steps {
            switch step {
            case .startStream: stream.start()
            case .comment(let text): stream.sendComment(text)
            case .event(let data): stream.sendEvent(data: data)
            }
        }
    }
}
