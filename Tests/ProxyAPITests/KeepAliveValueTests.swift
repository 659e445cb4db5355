import Testing
import ProxyPool
@testable import ProxyAPI

@Suite struct KeepAliveValueTests {
    func parse(_ json: String) -> Result<KeepAlive?, OpenAIError> {
        KeepAliveValue.parse(ArraySlice(json.utf8))
    }

    static let second: UInt64 = 1_000_000_000

    @Test(arguments: [
        ("300", KeepAlive?.some(.nanoseconds(300 * second))),
        ("0", .some(.nanoseconds(0))),
        ("1.5", .some(.nanoseconds(1_500_000_000))),
        ("-1", .some(.forever)),
        ("1e9", .some(.forever)),  // beyond a year
        (#""5m""#, .some(.nanoseconds(300 * second))),
        (#""30s""#, .some(.nanoseconds(30 * second))),
        (#""1h30m""#, .some(.nanoseconds(5400 * second))),
        (#""500ms""#, .some(.nanoseconds(500_000_000))),
        (#""1.5s""#, .some(.nanoseconds(1_500_000_000))),
        (#""-1m""#, .some(.forever)),
        (#""0""#, .some(.nanoseconds(0))),
        (#""45""#, .some(.nanoseconds(45 * second))),
        ("null", nil),
    ])
    func readsNumbersAndDurationsAsOllamaDoes(_ json: String, _ expected: KeepAlive?) throws {
        #expect(try parse(json).get() == expected)
    }

    @Test(arguments: [#""5 minutes""#, #""m""#, #""5x""#, #""""#, #""1e3""#, "true", "{", "[", #""--1s""#])
    func refusesAnythingElseWithAnOpenAIError(_ json: String) {
        guard case .failure(let error) = parse(json) else {
            Issue.record("\(json) was accepted")
            return
        }
        #expect(error.status == 400)
        #expect(error.code == "invalid_keep_alive")
        #expect(error.message.hasPrefix("keep_alive must be a number of seconds or a duration such as \"5m\""))
    }

    @Test func theDispatcherReadsItBesideTheModel() throws {
        let fields = try ModelDispatcher.requestedModel(in: Array(#"{"model":"m","keep_alive":"2s"}"#.utf8)).get()
        #expect(fields.model == "m")
        #expect(fields.keepAlive == .nanoseconds(2 * Self.second))
        #expect(try ModelDispatcher.requestedModel(in: Array(#"{"model":"m"}"#.utf8)).get().keepAlive == nil)
        guard case .failure(let error) = ModelDispatcher.requestedModel(in: Array(#"{"model":"m","keep_alive":[]}"#.utf8)) else {
            Issue.record("an array keep_alive was accepted")
            return
        }
        #expect(error.code == "invalid_keep_alive")
    }
}
