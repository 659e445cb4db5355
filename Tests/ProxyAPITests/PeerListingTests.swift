import ProxyPool
import Testing

@testable import ProxyAPI

/// Reading a peer's `/v1/models` answer.
@Suite struct PeerListingTests {
    @Test func readsIdsAliasesStatesAndRequestsInFlight() {
        let body = #"{"object":"list","data":[{"id":"a","state":"ready","in_flight":2,"aliases":["alpha"],"memory_mib":5},"#
            + #"{"id":"b"},{"object":"model"},{"id":"c","state":"unloaded","in_flight":"x"}]}"#
        let response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        #expect(PeerListing.models(inResponse: response) == .success([
            PeerModel(id: "a", aliases: ["alpha"], state: "ready", inFlight: 2),
            PeerModel(id: "b", state: "ready"),
            PeerModel(id: "c", state: "unloaded"),
        ]))
    }

    @Test func anythingElseIsAReasonTheLogCanShow() {
        #expect(PeerListing.models(inResponse: Array("HTTP/1.1 401 Unauthorized\r\n\r\n{}".utf8))
            == .failure(PeerListingError("GET /v1/models answered 401")))
        #expect(PeerListing.models(inResponse: Array("HTTP/1.1 200 OK\r\n\r\n{\"data\": 1}".utf8))
            == .failure(PeerListingError("GET /v1/models did not answer a model list")))
        #expect(PeerListing.models(inResponse: Array("SSH-2.0-OpenSSH_9.2".utf8)) == .failure(PeerListingError("not an HTTP answer")))
        #expect(PeerListing.models(inResponse: Array("HTTP/1.1 200 OK\r\nX: y".utf8))
            == .failure(PeerListingError("the answer's head does not end")))
    }
}
