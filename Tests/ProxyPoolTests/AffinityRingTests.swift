import Testing
@testable import ProxyPool

@Suite struct AffinityRingTests {
    static let keys = (0..<10_000).map { AffinityKey.of(Array("conversation \($0)".utf8)) }

    @Test func aWalkMeetsEveryReplicaOnceAndTheSameKeyAlwaysWalksAlike() {
        let ring = AffinityRing(replicas: 5)
        for key in Self.keys.prefix(200) {
            let order = ring.order(for: key)
            #expect(order.sorted() == [0, 1, 2, 3, 4])
            #expect(AffinityRing(replicas: 5).order(for: key) == order)
        }
    }

    @Test func keysSpreadEvenlyOverTheReplicas() {
        let ring = AffinityRing(replicas: 4)
        var counts = [0, 0, 0, 0]
        for key in Self.keys { counts[ring.choose(for: key, loads: [0, 0, 0, 0], epsilon: 0.25)!] += 1 }
        // 2,500 each on a perfect ring; 160 points per replica keep every share within 20 %.
        for count in counts { #expect((2_000...3_000).contains(count), "counts \(counts)") }
    }

    @Test func aConversationSticksToItsReplicaWhileTheLoadIsEven() {
        let ring = AffinityRing(replicas: 3)
        for key in Self.keys.prefix(500) {
            let home = ring.order(for: key)[0]
            #expect(ring.choose(for: key, loads: [2, 2, 2], epsilon: 0.25) == home)
            #expect(ring.choose(for: key, loads: [0, 0, 0], epsilon: 0) == home)
        }
    }

    @Test func aReplicaAtTheBoundIsSkippedForTheNextOnTheWalk() {
        let ring = AffinityRing(replicas: 3)
        #expect(AffinityRing.loadBound(totalLoad: 6, replicas: 3, epsilon: 0.25) == 3)  // ⌈1.25 × 7/3⌉
        #expect(AffinityRing.loadBound(totalLoad: 0, replicas: 3, epsilon: 0) == 1)
        for key in Self.keys.prefix(300) {
            let order = ring.order(for: key)
            var loads = [0, 0, 0]
            loads[order[0]] = 6  // bound ⌈1.25 × 7/3⌉ = 3: the home is full
            #expect(ring.choose(for: key, loads: loads, epsilon: 0.25) == order[1])
            loads[order[1]] = 6  // bound ⌈1.25 × 13/3⌉ = 6: both full
            #expect(ring.choose(for: key, loads: loads, epsilon: 0.25) == order[2])
        }
    }

    @Test func aGenerousSlackKeepsTheConversationHomeUnderUnevenLoad() {
        let ring = AffinityRing(replicas: 2)
        for key in Self.keys.prefix(300) {
            let order = ring.order(for: key)
            var loads = [0, 0]
            loads[order[0]] = 3
            #expect(ring.choose(for: key, loads: loads, epsilon: 2) == order[0])  // bound ⌈3 × 2⌉ = 6
            #expect(ring.choose(for: key, loads: loads, epsilon: 0.25) == order[1])  // bound ⌈1.25 × 2⌉ = 3
        }
    }

    @Test func aReplicaThatGoesAwayMovesOnlyItsOwnKeysAndGetsThemBack() {
        let ring = AffinityRing(replicas: 5)
        let loads = [0, 0, 0, 0, 0]
        var moved = 0
        for key in Self.keys {
            let before = ring.choose(for: key, loads: loads, epsilon: 0.25)!
            let without = ring.choose(for: key, loads: loads, epsilon: 0.25, eligible: { $0 != 2 })!
            if before == 2 {
                moved += 1
                #expect(without == ring.order(for: key)[1])
            } else {
                #expect(without == before)
            }
            #expect(ring.choose(for: key, loads: loads, epsilon: 0.25) == before)  // back
        }
        #expect((1_600...2_400).contains(moved), "\(moved) of 10000 keys moved; about 1/5 should")
    }

    @Test func anAddedReplicaTakesAboutItsShareFromTheOthersAndNothingElseMoves() {
        let four = AffinityRing(replicas: 4)
        let five = AffinityRing(replicas: 5)
        var moved = 0
        for key in Self.keys {
            let before = four.order(for: key)[0]
            let after = five.order(for: key)[0]
            if after != before {
                moved += 1
                #expect(after == 4)
            }
        }
        #expect((1_600...2_400).contains(moved), "\(moved) of 10000 keys moved; about 1/5 should")
    }

    @Test func nothingEligibleChoosesNothing() {
        let ring = AffinityRing(replicas: 2)
        #expect(ring.choose(for: Self.keys[0], loads: [0, 0], epsilon: 0.25, eligible: { _ in false }) == nil)
        #expect(ring.candidates(for: Self.keys[0], loads: [0, 0], epsilon: 0.25, eligible: { $0 == 1 }) == [1])
    }
}
