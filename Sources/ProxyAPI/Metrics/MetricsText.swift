/// Writes the Prometheus text exposition format 0.0.4: per family one `# HELP` and one `# TYPE`
/// line, then its samples. Label values and help texts are escaped as the format asks.
struct MetricsText {
    private(set) var text = ""

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    enum Kind: String {
        case counter, gauge, histogram
    }

    mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.0)=\"\(Self.escapeLabelValue($0.1))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        sample(name, labels, Double(value))
    }

    /// `name_bucket` per bound (cumulative, with `le`), then `name_sum` and `name_count`.
    mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: Histogram) {
        for bucket in histogram.cumulativeBuckets {
            sample(name + "_bucket", labels + [("le", Self.format(bucket.bound))], bucket.count)
        }
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, histogram.count)
    }

    /// Backslash, double quote and line feed are escaped in label values.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Backslash and line feed are escaped in help texts.
    static func escapeHelp(_ help: String) -> String {
        help.replacingBackslashesAndLineFeeds
    }

    /// Integers without a fraction, `+Inf`, `-Inf`, `NaN`, else Swift's shortest round-trip form.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension String {
    fileprivate var replacingBackslashesAndLineFeeds: String {
        var escaped = ""
        for character in unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
