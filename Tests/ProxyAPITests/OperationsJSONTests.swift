import HTTPCodec
import ProxyJSON
import ProxyPool
import Testing

@testable import ProxyAPI

/// The shapes `GET /events` and `GET /admin/status` answer with.
@Suite struct OperationsJSONTests {
    @Test func stateEventsNameTheStateTheReasonAndTheError() {
        #expect(String(decoding: PoolEventFeed.json(.state(modelID: "a", state: .starting, reason: nil, failure: nil)).serialized(), as: UTF8.self)
            == #"{"type":"state","model":"a","state":"loading","reason":null,"error":null}"#)
        #expect(String(decoding: PoolEventFeed.json(.state(modelID: "a", state: .stopping, reason: "evicted", failure: nil)).serialized(), as: UTF8.self)
            == #"{"type":"state","model":"a","state":"unloading","reason":"evicted","error":null}"#)
        #expect(String(decoding: PoolEventFeed.json(.state(modelID: "a", state: .stopped, reason: nil, failure: nil)).serialized(), as: UTF8.self)
            == #"{"type":"state","model":"a","state":"unloaded","reason":null,"error":null}"#)
        #expect(String(decoding: PoolEventFeed.json(.state(modelID: "a", state: .stopped, reason: nil, failure: "exited with status 1")).serialized(), as: UTF8.self)
            == #"{"type":"state","model":"a","state":"failed","reason":null,"error":"exited with status 1"}"#)
        // A busy model asked to unload drains first: it is unloading already.
        #expect(String(decoding: PoolEventFeed.json(.state(modelID: "a", state: .ready, reason: "requested", failure: nil)).serialized(), as: UTF8.self)
            == #"{"type":"state","model":"a","state":"unloading","reason":"requested","error":null}"#)
        #expect(String(decoding: PoolEventFeed.json(.queue(modelID: "a", queued: 3, inFlight: 2)).serialized(), as: UTF8.self)
            == #"{"type":"queue","model":"a","queued":3,"in_flight":2}"#)
    }

    @Test func theSnapshotListsEveryModelThePoolKnows() throws {
        let snapshot = PoolEventFeed.snapshot([
            "b": ModelStatus(state: .stopped, pid: nil, inFlight: 0),
            "a": ModelStatus(state: .ready, pid: 7, inFlight: 1, queued: 2, device: "host"),
        ])
        guard case .object(let members) = snapshot else {
            Issue.record("the snapshot is not an object")
            return
        }
        #expect(members.map(\.0) == ["type", "time", "models"])
        #expect(String(decoding: JSONValue.object(members.filter { $0.0 != "time" }).serialized(), as: UTF8.self)
            == #"{"type":"snapshot","models":[{"model":"a","state":"ready","pid":7,"device":"host","in_flight":1,"queued":2},"#
            + #"{"model":"b","state":"unloaded","pid":null,"device":null,"in_flight":0,"queued":0}]}"#)
    }

    @Test func recentRequestsKeepTheNewestInOrder() {
        let recent = RecentRequests(capacity: 3)
        for status in 200..<205 {
            recent.record(.init(unixSeconds: 1, method: "POST", path: "/v1/x", model: "a", status: status, milliseconds: 1, bytes: 2, note: nil))
        }
        #expect(recent.entries.map(\.status) == [202, 203, 204])
        let none = RecentRequests(capacity: 0)
        none.record(.init(unixSeconds: 1, method: "GET", path: "/", model: nil, status: 200, milliseconds: 1, bytes: 2, note: nil))
        #expect(none.entries.isEmpty)
    }

    @Test func aRecentRequestIsJSONWithItsNote() {
        let entry = RecentRequests.Entry(
            unixSeconds: 1_700_000_000.1234, method: "POST", path: "/v1/chat/completions", model: nil, status: 401,
            milliseconds: 0.456, bytes: 0, note: "invalid_api_key")
        #expect(String(decoding: RecentRequests.json(entry).serialized(), as: UTF8.self)
            == #"{"time":1700000000.123,"method":"POST","path":"/v1/chat/completions","model":null,"status":401,"ms":0.46,"bytes":0,"note":"invalid_api_key"}"#)
    }
}
