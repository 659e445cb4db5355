import Endpoints
@testable import ProxyPool
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

/// How `/v1/models` merges the peers' models.
@Suite struct PeerEntriesTests {
    let one = HostPort(host: "10.0.0.1", port: 8080)
    let two = HostPort(host: "10.0.0.2", port: 8080)

    func listed(_ peers: [PeerStatus], except own: Set<String> = [], only: String? = nil) -> [String] {
        ModelsEndpoint.peerEntries(peers, except: own, only: only, created: 1).map { String(decoding: $0.serialized(), as: UTF8.self) }
    }

    @Test func oneEntryPerModelWithTheBestStateAndEachPeer() {
        let peers = [
            PeerStatus(name: "one", server: one, health: .up, inFlight: 0,
                       models: [PeerModel(id: "a", aliases: ["x"], state: "unloaded"), PeerModel(id: "own", state: "ready")]),
            PeerStatus(name: "two", server: two, health: .up, inFlight: 0, models: [PeerModel(id: "a", aliases: ["x", "y"], state: "ready", inFlight: 3)]),
            PeerStatus(name: "gone", server: two, health: .down, inFlight: 0, models: [PeerModel(id: "b", state: "ready")]),
        ]
        let entries = listed(peers, except: ["own"])
        #expect(entries.count == 1)
        #expect(entries.first?.contains(#""id":"a","object":"model""#) == true)
        #expect(entries.first?.contains(#""state":"ready","in_flight":3,"queued":0,"aliases":["x","y"],"source":"peer""#) == true, "\(entries)")
        #expect(entries.first?.contains(#""peers":[{"name":"one","url":"http://10.0.0.1:8080","state":"unloaded","in_flight":0},{"name":"two","url":"http://10.0.0.2:8080","state":"ready","in_flight":3}]"#) == true)
        #expect(listed(peers, only: "own").count == 1)
        #expect(listed(peers, only: "b").isEmpty, "a peer that is down lists nothing")
    }
}
