import Foundation
import Synchronization
import Testing
@testable import ProxyPool

@Suite struct ChildMemoryFollowerTests {
    /// Reports the number on a line `report N`, and counts the lines it was fed.
    struct CountingReader: ChildMemoryReader {
        let fed: Counter
        var open: UInt64?

        mutating func feed(_ line: [UInt8]) -> UInt64? {
            fed.add()
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("open ") { open = UInt64(text.dropFirst(5)) }
            return text.hasPrefix("report ") ? UInt64(text.dropFirst(7)) : nil
        }

        mutating func finish() -> UInt64? {
            defer { open = nil }
            return open
        }
    }

    final class Counter: Sendable {
        let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    func lines(_ texts: String...) -> [[UInt8]] { texts.map { Array($0.utf8) } }

    @Test func readsWhileLoadingAndStopsOnceReadyWithAReport() {
        let fed = Counter()
        var follower = ChildMemoryFollower(reader: CountingReader(fed: fed))
        #expect(follower.read(lines("loading", "report 10"), loading: true) == [10])
        #expect(follower.read(lines("report 20"), loading: true) == [20])  // a later report too (the load after --fit's dry run)
        #expect(follower.read(lines("listening", "open 30"), loading: false) == [30])  // ready: what is under way finishes
        #expect(!follower.isFollowing)
        #expect(follower.read(lines("report 40", "request"), loading: false) == [])
        #expect(fed.value == 5)
    }

    @Test func linesStillInThePipeWhenTheChildIsReadyAreRead() {
        let fed = Counter()
        var follower = ChildMemoryFollower(reader: CountingReader(fed: fed))
        #expect(follower.read(lines("loading"), loading: true) == [])
        #expect(follower.read(lines("report 10", "listening"), loading: false) == [10])
        #expect(!follower.isFollowing)
    }

    @Test func aChildThatNeverReportsIsFollowedForABoundedNumberOfLines() {
        let fed = Counter()
        var follower = ChildMemoryFollower(reader: CountingReader(fed: fed))
        for _ in 0..<ChildMemoryFollower.linesAfterLoad - 1 {
            #expect(follower.read(lines("request"), loading: false) == [])
        }
        #expect(follower.isFollowing)
        #expect(follower.read(lines("request"), loading: false) == [])
        #expect(!follower.isFollowing)
        _ = follower.read(lines("report 1"), loading: false)
        #expect(fed.value == ChildMemoryFollower.linesAfterLoad)
    }

    @Test func theEndOfTheOutputFinishesAReport() {
        var follower = ChildMemoryFollower(reader: CountingReader(fed: Counter()))
        #expect(follower.read(lines("open 7"), loading: true) == [])
        #expect(follower.finish() == [7])
        #expect(follower.finish() == [])
        var none = ChildMemoryFollower(reader: nil)
        #expect(none.read(lines("report 1"), loading: true) == [] && !none.isFollowing)
    }
}
