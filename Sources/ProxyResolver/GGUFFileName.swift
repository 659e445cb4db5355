/// What a file name says about a GGUF file, following llama.cpp's conventions: `.gguf` files,
/// multimodal projectors named with `mmproj`, and split models named `NAME-00001-of-00003.gguf`.
struct GGUFFileName {
    let name: String

    var isHidden: Bool { name.hasPrefix(".") }

    var isGGUF: Bool { name.lowercased().hasSuffix(".gguf") && name.count > 5 }

    /// Multimodal projectors are companions of a model, not models.
    var isProjector: Bool { isGGUF && name.lowercased().contains("mmproj") }

    /// The name without `.gguf`.
    var stem: String { String(name.dropLast(5)) }

    /// For a split model's part (`NAME-00002-of-00003.gguf`): NAME and the part number.
    var shard: (base: String, index: Int)? {
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
            let index = Self.shardNumber(parts[parts.count - 3]), Self.shardNumber(parts[parts.count - 1]) != nil,
            parts.count > 4 || !parts[0].isEmpty
        else { return nil }
        return (parts.dropLast(3).joined(separator: "-"), index)
    }

    /// gguf-split writes part numbers as five digits.
    private static func shardNumber(_ text: Substring) -> Int? {
        guard text.count == 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
