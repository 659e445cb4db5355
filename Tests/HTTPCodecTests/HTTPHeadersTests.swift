import HTTPCodec
import Testing

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    private var sample: HTTPHeaders {
        HTTPHeaders([("Host", "a"), ("Accept", "x"), ("accept", "y"), ("Content-Length", "3")])
    }

    @Test func lookupIgnoresCase() {
        #expect(sample["ACCEPT"] == "x")
        #expect(sample["content-length"] == "3")
        #expect(sample["Accept-Encoding"] == nil)
        #expect(sample.values(for: "Accept") == ["x", "y"])
        #expect(sample.values(for: "missing").isEmpty)
        #expect(sample.contains("HOST"))
        #expect(!sample.contains("Hos"))
    }

    @Test func keepsOrderAndSpelling() {
        #expect(sample.map(\.name) == ["Host", "Accept", "accept", "Content-Length"])
        #expect(sample.map(\.value) == ["a", "x", "y", "3"])
        #expect(sample.count == 4)
    }

    @Test func add() {
        var headers = sample
        headers.add(name: "Accept", value: "z")
        #expect(headers.values(for: "accept") == ["x", "y", "z"])
        #expect(headers.count == 5)
    }

    @Test func replaceOrAddReplacesEveryValueInPlace() {
        var headers = sample
        headers.replaceOrAdd(name: "ACCEPT", value: "only")
        #expect(headers == HTTPHeaders([("Host", "a"), ("ACCEPT", "only"), ("Content-Length", "3")]))
        headers.replaceOrAdd(name: "X-New", value: "n")
        #expect(headers.map(\.name).last == "X-New")
    }

    @Test func removeDropsEveryField() {
        var headers = sample
        headers.remove(name: "accept")
        #expect(headers == HTTPHeaders([("Host", "a"), ("Content-Length", "3")]))
        headers.remove(name: "absent")
        #expect(headers.count == 2)
    }

    @Test func equalityIsExact() {
        #expect(HTTPHeaders([("A", "1")]) == HTTPHeaders([("A", "1")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("a", "1")]))
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
        #expect(HTTPHeaders() == [:])
    }
}
