import Foundation
import ProxyPool
import ProxyTime
import Testing

@testable import ProxyAPI

/// What keeping a line costs its writer: the proxy's request line (on the event loop) and a
/// batch of a child's lines (on its output reader), with and without a live reader. Run by hand:
/// `LOGSTORE_BENCH=100000 swift test --filter LogStoreBenchmark` (prints nanoseconds per line;
/// a debug build's figures are upper bounds).
@Suite struct LogStoreBenchmark {
    static let rounds = ProcessInfo.processInfo.environment["LOGSTORE_BENCH"].flatMap { Int($0) }

    final class Sink: LogSubscriber {
        func send(_ bytes: [UInt8]) -> Bool { true }
        func finish() {}
    }

    @Test(.enabled(if: rounds != nil))
    func nanosecondsPerLine() {
        let rounds = Self.rounds ?? 0
        let requestLine = "request POST /v1/chat/completions model=tiny-a status=200 ms=31.42 bytes=611"
        let childBatch = (0..<10).map { Array("slot launch_slot_: id  0 | task \($0) | processing task, is_child = 0".utf8) }
        for reader in [false, true] {
            let store = LogStore(linesPerSource: 1000)
            if reader { _ = store.subscribe(.all, history: false, Sink()) }
            let time = Logger.timestamp()
            var start = MonotonicClock.now()
            for _ in 0..<rounds { store.appendProxy(requestLine, time: time) }
            let proxy = Double(MonotonicClock.now() - start) / Double(rounds)
            start = MonotonicClock.now()
            for _ in 0..<(rounds / 10) { store.record(.lines(modelID: "tiny-a", childBatch), time: time) }
            let child = Double(MonotonicClock.now() - start) / Double(rounds / 10 * 10)
            print("LogStore reader=\(reader): proxy line \(Int(proxy)) ns, child line \(Int(child)) ns")
        }
    }
}
