import Testing
@testable import ProxyPool

@Suite struct LogTailTests {
    @Test func linesArriveInArbitraryChunks() {
        var tail = LogTail(capacity: 3)
        tail.append(Array("one\r\ntw".utf8))
        tail.append(Array("o\nthree\nfo".utf8))
        #expect(tail.lines == ["two", "three", "fo"])  // an unfinished last line counts
        tail.append(Array("ur\n".utf8))
        #expect(tail.lines == ["two", "three", "four"])
    }

    @Test func overlongLinesAreCut() {
        var tail = LogTail(capacity: 2, maximumLineBytes: 4)
        tail.append(Array("abcdefgh\nxy\n".utf8))
        #expect(tail.lines == ["abcd", "xy"])
    }

    @Test func echoesOfOurHealthProbesAreNeitherKeptNorNews() {
        var tail = LogTail()
        let chunks = ["srv log: GET /health 503\n", "srv log: GET /hea", "lth 503\n", "main: model loaded\n", "partial"]
        let news = chunks.map { tail.append(Array($0.utf8)) }
        // A half-written line cannot be judged yet, so it counts as news once (one extra probe).
        #expect(news == [false, true, false, true, true])
        #expect(tail.lines == ["main: model loaded", "partial"])
    }

    @Test func finishedLinesAreHandedOnOnceEachWithoutProbeEchoes() {
        var tail = LogTail(capacity: 2)
        var finished: [[UInt8]] = []
        tail.append(Array("one\ntw".utf8), finished: &finished)
        tail.append(Array("o\nGET /health 200\nthree\r\nfour".utf8), finished: &finished)
        #expect(finished.map { String(decoding: $0, as: UTF8.self) } == ["one", "two", "three\r"])
        #expect(tail.finishUnfinished().map { String(decoding: $0, as: UTF8.self) } == "four")
        #expect(tail.finishUnfinished() == nil)
        #expect(tail.lines == ["three", "four"])  // the tail for errors is kept as before
    }
}
