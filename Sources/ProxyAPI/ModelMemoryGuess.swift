import Glibc
import ProxyResolver

/// A model's memory need before anything better is known: the size of its files (every shard
/// of a split model, and its projector) plus a margin of 10 % and 256 MiB for the KV cache and
/// compute buffers. The first child's measurement replaces it (on a device that measures).
enum ModelMemoryGuess {
    static let margin: UInt64 = 256 << 20

    static func bytes(for model: ResolvedModel) -> UInt64 {
        let files = shardPaths(of: model.ggufPath) + (model.mmprojPath.map { [$0] } ?? [])
        let size = files.reduce(UInt64(0)) { $0 + fileSize($1) }
        return size + size / 10 + margin
    }

    /// `name-00001-of-00003.gguf` stands for all three shards; any other path for itself.
    static func shardPaths(of path: String) -> [String] {
        guard path.hasSuffix(".gguf") else { return [path] }
        let stem = path.dropLast(".gguf".count)
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of", let total = Int(parts[parts.count - 1]),
              Int(parts[parts.count - 3]) == 1, total >= 1, total <= 10_000
        else { return [path] }
        let width = parts[parts.count - 3].count
        let prefix = parts.dropLast(3).joined(separator: "-")
        let totalText = String(parts[parts.count - 1])
        return (1...total).map { index in
            let number = String(index)
            return "\(prefix)-\(String(repeating: "0", count: max(0, width - number.count)))\(number)-of-\(totalText).gguf"
        }
    }

    static func fileSize(_ path: String) -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return UInt64(max(0, info.st_size))
    }
}
