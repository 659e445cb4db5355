import Testing
@testable import ProxyPool

@Suite struct EvictionPolicyTests {
    func candidate(_ id: String, _ mebibytes: UInt64, load: UInt64 = 0, lastUsed: UInt64 = 0) -> EvictionPolicy.Candidate {
        EvictionPolicy.Candidate(modelID: id, bytes: mebibytes * PoolDevice.mebibyte, loadNanoseconds: load, lastUsed: lastUsed)
    }

    func chosen(_ candidates: [EvictionPolicy.Candidate], mebibytes: UInt64, now: UInt64 = seconds(100)) -> [String]? {
        EvictionPolicy.choose(candidates, freeing: mebibytes * PoolDevice.mebibyte, now: now)?.map(\.modelID).sorted()
    }

    @Test func nothingNeededNobodyGoes() {
        #expect(chosen([candidate("a", 10)], mebibytes: 0) == [])
    }

    @Test func notEnoughInAllIsNil() {
        #expect(chosen([candidate("a", 10), candidate("b", 20)], mebibytes: 31) == nil)
    }

    @Test func withEqualLoadTimesTheLeastRecentlyUsedGoesFirst() {
        let candidates = [candidate("recent", 100, lastUsed: seconds(90)), candidate("old", 100, lastUsed: seconds(10))]
        #expect(chosen(candidates, mebibytes: 50) == ["old"])
    }

    @Test func aQuickToLoadModelGoesBeforeASlowOneIdleAsLong() {
        let candidates = [candidate("slow", 100, load: seconds(30), lastUsed: seconds(10)), candidate("quick", 100, load: seconds(1), lastUsed: seconds(10))]
        #expect(chosen(candidates, mebibytes: 50) == ["quick"])
    }

    @Test func oneBigBeatsTwoSmallOfEqualCostAndTheSetIsMinimal() {
        let candidates = [candidate("s1", 100), candidate("s2", 100), candidate("big", 300)]
        #expect(chosen(candidates, mebibytes: 150) == ["big"])
        #expect(chosen(candidates, mebibytes: 350) == ["big", "s1"])
    }

    @Test func manyCandidatesStillFindAMinimalSet() {
        let candidates = (0..<20).map { candidate("m\($0)", 10, lastUsed: seconds(UInt64($0))) }
        #expect(chosen(candidates, mebibytes: 25) == ["m0", "m1", "m2"])
        let beyond = (0..<20).map { candidate("m\($0)", $0 < 12 ? 1 : 100, lastUsed: seconds(UInt64($0))) }
        #expect(chosen(beyond, mebibytes: 150)?.count == 2)  // only the ones past the searched twelve hold enough
    }
}
