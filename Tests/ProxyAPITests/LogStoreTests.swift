import ProxyPool
import Synchronization
import Testing

@testable import ProxyAPI

/// The kept lines: a bounded ring per source, merged in order, markers for each process of a
/// model, escaped text, and live readers that never hold an append up.
@Suite struct LogStoreTests {
    /// A reader that keeps what it is sent, or refuses everything once `accepting` is false.
    final class Reader: LogSubscriber {
        let received = Mutex<[UInt8]>([])
        let accepting: Mutex<Bool>
        let calls = Mutex(0)
        let finished = Mutex(false)

        init(accepting: Bool = true) { self.accepting = Mutex(accepting) }

        func send(_ bytes: [UInt8]) -> Bool {
            calls.withLock { $0 += 1 }
            guard accepting.withLock({ $0 }) else { return false }
            received.withLock { $0 += bytes }
            return true
        }

        func finish() { finished.withLock { $0 = true } }

        var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }
    }

    private let time = "2026-01-01T00:00:00.000Z"

    private func texts(_ snapshot: LogStore.Snapshot) -> [String] {
        snapshot.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    private func childLines(_ model: String, _ lines: String...) -> ChildLogEvent {
        .lines(modelID: model, lines.map { Array($0.utf8) })
    }

    @Test func eachSourceKeepsItsOwnLastLines() {
        let store = LogStore(linesPerSource: 3)
        for index in 1...5 { store.appendProxy("proxy \(index)", time: time) }
        store.record(childLines("tiny-a", "a1", "a2", "a3", "a4"), time: time)
        store.record(childLines("tiny-b", "b1"), time: time)
        #expect(texts(store.history(.proxy)) == (3...5).map { "\(time) [proxy] proxy \($0)\n" })
        #expect(texts(store.history(.model("tiny-a"))) == ["a2", "a3", "a4"].map { "\(time) [tiny-a] \($0)\n" })
        #expect(texts(store.history(.upstream)) == ["a2", "a3", "a4"].map { "\(time) [tiny-a] \($0)\n" } + ["\(time) [tiny-b] b1\n"])
        #expect(store.history(.all).lines.count == 7)
        #expect(store.history(.model("tiny-c")).lines.isEmpty)
        #expect(store.knows(modelID: "tiny-a") && !store.knows(modelID: "tiny-c"))
    }

    @Test func allSourcesMergeInTheOrderTheLinesArrived() {
        let store = LogStore(linesPerSource: 10)
        store.appendProxy("one", time: time)
        store.record(childLines("m", "two"), time: time)
        store.appendProxy("three", time: time)
        store.record(childLines("m", "four", "five"), time: time)
        let order = store.history(.all).lines.map { String(decoding: $0.bytes, as: UTF8.self).split(separator: " ").last! }
        #expect(order == ["one\n", "two\n", "three\n", "four\n", "five\n"])
        #expect(texts(store.history(.all, last: 2)) == ["\(time) [m] four\n", "\(time) [m] five\n"])
        #expect(store.history(.all, last: 0).lines.isEmpty)
    }

    @Test func eachProcessOfAModelIsMarkedAndARestartSaysSo() {
        let store = LogStore(linesPerSource: 10)
        store.record(.started(modelID: "m", pid: 10), time: time)
        store.record(childLines("m", "main: model loaded"), time: time)
        store.record(.exited(modelID: "m", description: "killed by signal 9 (Killed)"), time: time)
        store.record(.started(modelID: "m", pid: 11), time: time)
        #expect(texts(store.history(.model("m"))) == [
            "\(time) [m] --- process started pid=10\n",
            "\(time) [m] main: model loaded\n",
            "\(time) [m] --- process ended: killed by signal 9 (Killed)\n",
            "\(time) [m] --- process restarted pid=11 (start 2)\n",
        ])
    }

    @Test func aChildCannotForgeOrColourALine() {
        let store = LogStore(linesPerSource: 10)
        let forged: [UInt8] = Array("ok\r2026-01-01T00:00:00.000Z [proxy] fake \u{1B}[2J \"quoted\" \\ ".utf8) + [0xFF, UInt8(ascii: "\r")]
        store.record(.lines(modelID: "evil\nname", [forged]), time: time)
        let text = texts(store.history(.all))
        #expect(text == ["\(time) [evil\\nname] ok\\r2026-01-01T00:00:00.000Z [proxy] fake \\x1B[2J \"quoted\" \\ \\xFF\n"])
    }

    @Test func theProxysOwnLinesAreNotEscapedTwice() {
        let store = LogStore(linesPerSource: 10)
        store.appendProxy(#"request POST / model=a\nb note="x\"y""#, time: time)
        store.appendProxy("two\nlines", time: time)
        #expect(texts(store.history(.proxy)) == [
            "\(time) [proxy] request POST / model=a\\nb note=\"x\\\"y\"\n", "\(time) [proxy] two\\nlines\n",
        ])
    }

    @Test func aLiveReaderGetsWhatItsSelectorPicksAfterItsHistory() throws {
        let store = LogStore(linesPerSource: 10)
        store.record(childLines("a", "old a"), time: time)
        store.record(childLines("b", "old b"), time: time)
        let reader = Reader()
        let subscription = try #require(store.subscribe(.model("a"), history: true, reader))
        #expect(texts(subscription.history) == ["\(time) [a] old a\n"])
        store.record(childLines("a", "new a"), time: time)
        store.record(childLines("b", "new b"), time: time)
        store.appendProxy("proxy line", time: time)
        #expect(reader.text == "\(time) [a] new a\n")
        let noHistory = Reader()
        let second = try #require(store.subscribe(.all, history: false, noHistory))
        #expect(second.history.lines.isEmpty)
        store.appendProxy("later", time: time)
        #expect(noHistory.text == "\(time) [proxy] later\n")
        store.unsubscribe(subscription.id)
        store.record(childLines("a", "after unsubscribe"), time: time)
        #expect(reader.text == "\(time) [a] new a\n")
    }

    @Test func aReaderThatRefusesIsForgottenAndNeverAskedAgain() throws {
        let store = LogStore(linesPerSource: 10)
        let slow = Reader(accepting: false)
        let fine = Reader()
        _ = try #require(store.subscribe(.all, history: false, slow))
        _ = try #require(store.subscribe(.all, history: false, fine))
        for index in 0..<5 { store.appendProxy("line \(index)", time: time) }
        #expect(slow.calls.withLock { $0 } == 1)
        #expect(store.subscriberCount == 1)
        #expect(fine.text.split(separator: "\n").count == 5)
    }

    @Test func closingEndsEveryReaderAndRefusesNewOnes() throws {
        let store = LogStore(linesPerSource: 10)
        let reader = Reader()
        _ = try #require(store.subscribe(.proxy, history: false, reader))
        store.close()
        #expect(reader.finished.withLock { $0 })
        #expect(store.subscriberCount == 0)
        #expect(store.subscribe(.proxy, history: true, Reader()) == nil)
        store.appendProxy("still kept", time: time)
        #expect(store.history(.proxy).lines.count == 1)
    }

    @Test func theRingOverwritesItsOldestLine() {
        var ring = LogRing(capacity: 3)
        for index in 0..<7 { ring.append(LogLine(sequence: UInt64(index), source: .proxy, bytes: [UInt8(index)])) }
        #expect(ring.count == 3)
        #expect(ring.lines.map(\.sequence) == [4, 5, 6])
        ring.append(contentsOf: (10..<15).map { LogLine(sequence: UInt64($0), source: .proxy, bytes: []) })
        #expect(ring.lines.map(\.sequence) == [12, 13, 14])
    }
}
