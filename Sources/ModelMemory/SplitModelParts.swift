/// The files of a split model, named as llama.cpp's gguf-split names them:
/// `name-00001-of-00003.gguf`, `name-00002-of-00003.gguf`, ... (llama_split_prefix).
public enum SplitModelParts {
    /// Every part of the split model that `path` belongs to, in order; `[path]` for a file that
    /// is not named as a part.
    public static func parts(of path: String) -> [String] {
        guard let split = parse(path) else { return [path] }
        return (1...split.count).map { split.prefix + "-" + fiveDigits($0) + "-of-" + fiveDigits(split.count) + ".gguf" }
    }

    /// The part number and count in `path`, and what precedes them.
    static func parse(_ path: String) -> (prefix: String, number: Int, count: Int)? {
        let suffix = ".gguf"
        guard path.hasSuffix(suffix) else { return nil }
        let stem = path.dropLast(suffix.count)
        // "-00001-of-00003" is 15 characters.
        guard stem.count > 15 else { return nil }
        let tail = stem.suffix(15)
        let characters = Array(tail)
        guard characters[0] == "-", String(characters[6...9]) == "-of-" else { return nil }
        let numberText = String(characters[1...5]), countText = String(characters[10...14])
        guard numberText.allSatisfy(\.isASCIIDigit), countText.allSatisfy(\.isASCIIDigit),
              let number = Int(numberText), let count = Int(countText), number >= 1, count >= number
        else { return nil }
        return (String(stem.dropLast(15)), number, count)
    }

    private static func fiveDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
