/// A binary min-heap keyed by a deadline; equal keys come out in insertion order.
struct DeadlineHeap<Element> {
    private var storage: [(key: UInt64, order: UInt64, element: Element)] = []
    private var insertions: UInt64 = 0

    var count: Int { storage.count }
    var minimum: Element? { storage.first?.element }

    mutating func insert(_ element: Element, key: UInt64) {
        storage.append((key, insertions, element))
        insertions &+= 1
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeMinimum() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let removed = storage.removeLast().element
        siftDown(from: 0)
        return removed
    }

    /// Drops every element `shouldRemove` picks and restores the heap in O(n); the order of
    /// equal keys is kept.
    mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        storage.removeAll { shouldRemove($0.element) }
        var parent = storage.count / 2
        while parent > 0 {
            parent -= 1
            siftDown(from: parent)
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < storage.count && precedes(left, smallest) { smallest = left }
            if right < storage.count && precedes(right, smallest) { smallest = right }
            if smallest == parent { return }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        (storage[a].key, storage[a].order) < (storage[b].key, storage[b].order)
    }
}
