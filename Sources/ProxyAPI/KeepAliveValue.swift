import ProxyJSON
import ProxyPool

/// A request's `keep_alive`, read as Ollama reads it: a number of seconds, or a duration string
/// as Go writes one (`"30s"`, `"5m"`, `"1h30m"`, `"500ms"`; units ns, us, ms, s, m, h), or a
/// plain number in a string. Negative means kept for ever, zero unloaded as soon as the model is
/// idle; beyond a year counts as for ever; `null` is the same as leaving it out. The member stays
/// in the body (llama-server ignores members it does not know).
enum KeepAliveValue {
    static let longestSeconds = 31_536_000.0

    /// `bytes` is the value as written (see `RequestBodySummary.keepAliveValueRange`).
    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<KeepAlive?, OpenAIError> {
        let seconds: Double?
        switch bytes.first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            seconds = nil
        default:
            switch try? JSONDocumentParser.parse(Array(bytes)) {
            case .null: return .success(nil)
            case .number(let text): seconds = Double(text)
            case .string(let text): seconds = durationSeconds(text)
            default: seconds = nil
            }
        }
        guard let seconds, seconds.isFinite else {
            let shown = String(decoding: bytes.prefix(64), as: UTF8.self)
            return .failure(.invalidRequest(
                "keep_alive must be a number of seconds or a duration such as \"5m\" or \"30s\" (negative: for ever), got \(shown)",
                code: "invalid_keep_alive"))
        }
        return .success(keepAlive(seconds: seconds))
    }

    static func keepAlive(seconds: Double) -> KeepAlive {
        guard seconds >= 0, seconds <= longestSeconds else { return .forever }
        return .nanoseconds(UInt64(seconds * 1e9))
    }

    static let unitSeconds: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "\u{B5}s": 1e-6, "\u{3BC}s": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    /// Seconds in a Go duration (`-1h30m`, `1.5s`) or a plain number; nil if it is neither.
    static func durationSeconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if let plain = Double(rest), rest.allSatisfy({ $0.isNumber || $0 == "." }) { return sign * plain }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            guard number.contains(where: \.isNumber), let value = Double(number.hasPrefix(".") ? "0" + number : number),
                  let scale = unitSeconds[String(unit)]
            else { return nil }
            total += value * scale
        }
        return sign * total
    }
}
