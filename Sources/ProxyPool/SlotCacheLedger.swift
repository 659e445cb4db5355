/// The saved slot files the pool knows of, by key, and the disk budget they share. Pure: it
/// says which files to delete; the pool deletes them. The least recently used file (saved or
/// restored longest ago) goes first; one file larger than the whole budget is not kept at all.
struct SlotCacheLedger: Sendable, Equatable {
    struct File: Sendable, Equatable {
        var key: SlotCacheKey
        /// The slot it was saved from, and is restored into.
        var slot: Int
        /// The name inside the key's folder (llama-server takes plain file names only).
        var name: String
        var bytes: UInt64
        var lastUsed: UInt64
    }

    /// Bytes all files may take together; 0: the cache is off.
    let budgetBytes: UInt64
    private(set) var files: [File] = []

    init(budgetBytes: UInt64) {
        self.budgetBytes = budgetBytes
    }

    var isEnabled: Bool { budgetBytes > 0 }
    var totalBytes: UInt64 { files.reduce(0) { $0 + $1.bytes } }

    func files(for key: SlotCacheKey) -> [File] {
        files.filter { $0.key == key }.sorted { $0.slot < $1.slot }
    }

    /// Records saved files (a file saved again for the same key and slot replaces the old one,
    /// whose name is the same). Returns the files to delete to stay within the budget.
    mutating func record(_ saved: [File]) -> [File] {
        for file in saved {
            files.removeAll { $0.key == file.key && $0.name == file.name }
            files.append(file)
        }
        return trim()
    }

    /// The key's files were restored at `now`: they are the most recently used.
    mutating func touch(_ key: SlotCacheKey, now: UInt64) {
        for index in files.indices where files[index].key == key { files[index].lastUsed = now }
    }

    /// Drops least recently used files until the rest fit the budget.
    private mutating func trim() -> [File] {
        var removed: [File] = []
        while totalBytes > budgetBytes, let oldest = files.indices.min(by: { files[$0].lastUsed < files[$1].lastUsed }) {
            removed.append(files.remove(at: oldest))
        }
        return removed
    }
}
