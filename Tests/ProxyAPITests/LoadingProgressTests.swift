import Testing
@testable import ProxyAPI

/// When a waiting streaming request hears about its model's load, and what it hears.
@Suite struct LoadingProgressTests {
    let second: UInt64 = 1_000_000_000

    func comments(interval: Double = 5, since: UInt64 = 0) -> LoadingProgress {
        LoadingProgress(modelID: "tiny-a", style: .comments, intervalSeconds: interval, waitingSince: since)
    }

    func text(_ step: LoadingProgress.Step) -> String {
        switch step {
        case .startStream: return "<start>"
        case .comment(let text): return ": " + text
        case .event(let data): return "data: " + String(decoding: data, as: UTF8.self)
        }
    }

    @Test func ticksAreOneIntervalApartFromTheStartOfTheWait() {
        var progress = comments(interval: 5, since: 100 * second)
        #expect(progress.nextTick == 105 * second)
        _ = progress.tick(now: 105 * second, model: .starting)
        #expect(progress.nextTick == 110 * second)
        _ = progress.tick(now: 111 * second, model: .starting)  // a late tick does not shift the next
        #expect(progress.nextTick == 115 * second)
        #expect(comments(interval: 0.25).nextTick == 250_000_000)
    }

    @Test func aLoadStartsTheStreamThenEveryTickSendsAComment() {
        var progress = comments()
        #expect(progress.tick(now: 5 * second, model: .starting).map(text) == ["<start>", ": loading tiny-a 5 s"])
        #expect(progress.isStreaming)
        #expect(progress.tick(now: 10 * second + 900_000_000, model: .starting).map(text) == [": loading tiny-a 10 s"])
        #expect(progress.served(now: 12 * second).isEmpty)  // comments need no last word
    }

    @Test func waitingForRoomToLoadCountsAsALoad() {
        var progress = comments()
        #expect(progress.tick(now: 5 * second, model: .stopping).map(text) == ["<start>", ": waiting for room to load tiny-a 5 s"])
        #expect(progress.tick(now: 10 * second, model: .stopped).map(text) == [": waiting for room to load tiny-a 10 s"])
        #expect(progress.tick(now: 15 * second, model: .starting).map(text) == [": loading tiny-a 15 s"])
        var unknown = comments()
        #expect(unknown.tick(now: 5 * second, model: nil).map(text) == ["<start>", ": waiting for room to load tiny-a 5 s"])
    }

    @Test func aSlotWaitOnALoadedModelStartsNothing() {
        var progress = comments()
        #expect(progress.tick(now: 5 * second, model: .ready).isEmpty)
        #expect(!progress.isStreaming)
        #expect(progress.served(now: 6 * second).isEmpty)
    }

    @Test func aStartedStreamKeepsTalkingWhileItWaitsForASlot() {
        var progress = comments()
        _ = progress.tick(now: 5 * second, model: .starting)
        #expect(progress.tick(now: 10 * second, model: .ready).map(text) == [": waiting for a free slot on tiny-a 10 s"])
    }

    @Test func aSecondWaitOfAStartedStreamDoesNotStartItAgain() {
        var progress = LoadingProgress(modelID: "tiny-a", style: .comments, intervalSeconds: 1, waitingSince: 0, isStreaming: true)
        #expect(progress.tick(now: second, model: .starting).map(text) == [": loading tiny-a 1 s"])
    }

    @Test func reasoningChunksAreChatCompletionChunks() {
        var progress = LoadingProgress(
            modelID: "tiny-a", style: .reasoning(id: "chatcmpl-loading-1", created: 1700000000), intervalSeconds: 2,
            waitingSince: 0)
        #expect(progress.tick(now: 2 * second, model: .starting).map(text) == [
            "<start>",
            #"data: {"id":"chatcmpl-loading-1","object":"chat.completion.chunk","created":1700000000,"model":"tiny-a","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"loading tiny-a 2 s\n"},"finish_reason":null}]}"#,
        ])
        // The role comes once; the last line says the model is ready.
        #expect(progress.tick(now: 4 * second, model: .starting).map(text) == [
            #"data: {"id":"chatcmpl-loading-1","object":"chat.completion.chunk","created":1700000000,"model":"tiny-a","choices":[{"index":0,"delta":{"reasoning_content":"loading tiny-a 4 s\n"},"finish_reason":null}]}"#,
        ])
        #expect(progress.served(now: 5 * second).map(text) == [
            #"data: {"id":"chatcmpl-loading-1","object":"chat.completion.chunk","created":1700000000,"model":"tiny-a","choices":[{"index":0,"delta":{"reasoning_content":"tiny-a ready after 5 s\n\n"},"finish_reason":null}]}"#,
        ])
    }

    @Test func aReasoningStreamThatNeverStartedSaysNothingWhenServed() {
        var progress = LoadingProgress(modelID: "m", style: .reasoning(id: "x", created: 0), intervalSeconds: 5, waitingSince: 0)
        #expect(progress.served(now: 4 * second).isEmpty)
    }
}
