import Testing
@testable import HTTPCodec

@Suite struct PercentDecodingTests {
    @Test func escapesAndPlusesAreDecoded() {
        #expect(PercentDecoding.decode("a%2Fb%20c%c3%A9") == "a/b cé")
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentDecoding.decode("%2B", plusIsSpace: true) == "+")
        #expect(PercentDecoding.decode("") == "")
    }

    @Test(arguments: ["%", "%2", "%zz", "a%g1", "%FF", "%C3"])
    func brokenEscapesAndNonUTF8AreRefused(text: String) {
        #expect(PercentDecoding.decode(text) == nil)
    }

    @Test func queryValuesAreFoundByExactName() {
        let head = HTTPRequestHead(method: "GET", target: "/p?a=1&&model=x%20y&model=z&flag")
        #expect(head.query == "a=1&&model=x%20y&model=z&flag")
        #expect(head.rawQueryValue(named: "model") == "x%20y")
        #expect(head.rawQueryValue(named: "flag") == "")
        #expect(head.rawQueryValue(named: "Model") == nil)
        #expect(HTTPRequestHead(method: "GET", target: "/p").query == nil)
        #expect(HTTPRequestHead(method: "GET", target: "/p?").rawQueryValue(named: "model") == nil)
    }
}
