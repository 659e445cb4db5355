import Glibc
import ProxyJSON

/// llama-server's `timings` of one answer: a non-streaming JSON body has it as a top-level
/// member near its end, a stream in its last data event. Negative counts (llama-server's "not
/// measured") and missing or non-numeric speeds are left out.
struct LlamaTimings: Sendable, Equatable {
    var promptTokens: UInt64 = 0
    var promptPerSecond: Double?
    var predictedTokens: UInt64 = 0
    var predictedPerSecond: Double?

    init(promptTokens: UInt64 = 0, promptPerSecond: Double? = nil, predictedTokens: UInt64 = 0, predictedPerSecond: Double? = nil) {
        self.promptTokens = promptTokens
        self.promptPerSecond = promptPerSecond
        self.predictedTokens = predictedTokens
        self.predictedPerSecond = predictedPerSecond
    }

    /// The last `"timings": {...}` object in `tail` (the end of a body) that parses, looking
    /// back from the end; nil when there is none. Only the object itself is parsed.
    static func find(in tail: [UInt8]) -> LlamaTimings? {
        let key = Self.key
        var candidate = tail.count - key.count
        while candidate >= 0 {
            if tail[candidate] == UInt8(ascii: "\""), tail[candidate + 1] == UInt8(ascii: "t"),
               tail[candidate..<(candidate + key.count)].elementsEqual(key),
               candidate == 0 || tail[candidate - 1] != UInt8(ascii: "\\"),
               let timings = object(after: candidate + key.count, in: tail[...]).flatMap(Self.init(parsing:)) {
                return timings
            }
            candidate -= 1
        }
        return nil
    }

    private static let key = Array("\"timings\"".utf8)

    /// The bytes of the object that follows `: ` at `index`, if it closes within `bytes`.
    private static func object(after index: Int, in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var index = skipWhitespace(from: index, in: bytes)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else { return nil }
        index = skipWhitespace(from: index + 1, in: bytes)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "{") else { return nil }
        let start = index
        var depth = 0
        var inString = false
        var escaped = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return bytes[start...index] }
            }
            index += 1
        }
        return nil
    }

    static func skipWhitespace(from index: Int, in bytes: ArraySlice<UInt8>) -> Int {
        var index = index
        while index < bytes.endIndex, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        return index
    }

    /// Needs `prompt_n` or `predicted_n` as a number. llama-server's timings object is flat
    /// (names and numbers): that shape is read in place, and only anything else goes to the
    /// general parser (which cost ~60k instructions an answer).
    private init?(parsing object: ArraySlice<UInt8>) {
        var wanted = WantedNumbers()
        if !Self.forEachFlatMember(of: object, { name, number in wanted.take(name: name, number: number) }) {
            wanted = WantedNumbers()  // a member or two may have been read before the shape turned out other
            guard case .object(let members) = try? JSONDocumentParser.parse(Array(object)) else { return nil }
            for (name, value) in members {
                guard case .number(let text) = value else {
                    wanted.take(name: ArraySlice(name.utf8), number: nil)
                    continue
                }
                wanted.take(name: ArraySlice(name.utf8), number: ArraySlice(text.utf8))
            }
        }
        func count(_ value: Double?) -> UInt64? { value.map { $0 >= 0 && $0 < 1e18 ? UInt64($0) : 0 } }
        guard count(wanted.promptCount) != nil || count(wanted.predictedCount) != nil else { return nil }
        promptTokens = count(wanted.promptCount) ?? 0
        predictedTokens = count(wanted.predictedCount) ?? 0
        promptPerSecond = wanted.promptSpeed.flatMap { $0 >= 0 ? $0 : nil }
        predictedPerSecond = wanted.predictedSpeed.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The four members read, each the last of its name (as a JSON reader that keeps the last
    /// duplicate would); a member whose value is no finite number counts as absent.
    private struct WantedNumbers {
        var promptCount: Double?
        var predictedCount: Double?
        var promptSpeed: Double?
        var predictedSpeed: Double?

        mutating func take(name: ArraySlice<UInt8>, number: ArraySlice<UInt8>?) {
            // Names are told apart by length first: llama-server's object has nine members.
            switch name.count {
            case 8 where Self.same(name, "prompt_n"): promptCount = Self.value(number)
            case 11 where Self.same(name, "predicted_n"): predictedCount = Self.value(number)
            case 17 where Self.same(name, "prompt_per_second"): promptSpeed = Self.value(number)
            case 20 where Self.same(name, "predicted_per_second"): predictedSpeed = Self.value(number)
            default: break
            }
        }

        private static func same(_ bytes: ArraySlice<UInt8>, _ name: StaticString) -> Bool {
            bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, name.utf8Start, name.utf8CodeUnitCount) == 0 }
        }

        private static func value(_ number: ArraySlice<UInt8>?) -> Double? {
            number.flatMap { Double(String(decoding: $0, as: UTF8.self)) }.flatMap { $0.isFinite ? $0 : nil }
        }
    }
}
