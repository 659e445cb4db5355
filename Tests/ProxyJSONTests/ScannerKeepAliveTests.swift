import Testing
import ProxyJSON

@Suite struct ScannerKeepAliveTests {
    /// The bytes that `keepAliveValueRange` points at, or nil.
    func keepAlive(in text: String) throws -> String? {
        let bytes = Array(text.utf8)
        guard let range = try JSONScanner.scanRequestBody(bytes).keepAliveValueRange else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    @Test(arguments: [
        (#"{"model":"m","keep_alive":"5m"}"#, #""5m""#),
        (#"{"keep_alive": -1.5e1 ,"model":"m"}"#, "-1.5e1"),
        (#"{"keep_alive":0}"#, "0"),
        (#"{"keep_alive":null}"#, "null"),
        (#"{"keep_alive":true}"#, "true"),
        (#"{"keep_alive":false}"#, "false"),
        (#"{"keep_alive":{"s":1}}"#, "{"),
        (#"{"keep_alive":[1]}"#, "["),
        (#"{"keep_alive":1,"keep_alive":"2s"}"#, #""2s""#),  // the last one wins
        (#"{"keep\u005falive":"1h"}"#, #""1h""#),  // an escaped name still counts
    ])
    func findsTheTopLevelValueAsWritten(_ text: String, _ expected: String) throws {
        #expect(try keepAlive(in: text) == expected)
    }

    @Test func nestedOrAbsentKeepAliveIsNotReported() throws {
        #expect(try keepAlive(in: #"{"options":{"keep_alive":"5m"},"list":[{"keep_alive":1}]}"#) == nil)
        #expect(try keepAlive(in: #"{"prompt":"keep_alive"}"#) == nil)
        #expect(try keepAlive(in: #"{"keep_alivex":1,"xkeep_alive":2}"#) == nil)
    }
}
