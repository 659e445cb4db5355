import ProxyJSON

/// Reads one JSON object of the configuration: typed getters that name the key path in every
/// error, and a check that no key is unknown or repeated.
struct ConfigObjectReader {
    /// Key path of this object (`""` for the top level, `"timeouts"`, `"models.tiny"`).
    let path: String
    let members: [(String, ParsedJSON)]

    init(_ value: ParsedJSON, path: String) throws(ConfigError) {
        guard case .object(let members) = value else {
            throw ConfigError(keyPath: path.isEmpty ? nil : path,
                              message: path.isEmpty ? "the configuration must be a JSON object" : "expected an object, got \(value.shortDescription)")
        }
        self.path = path
        self.members = members
    }

    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Refuses keys outside `known` (suggesting the likely intended one) and repeated keys.
    func requireOnlyKeys(_ known: [String]) throws(ConfigError) {
        var seen: Set<String> = []
        for (key, _) in members {
            guard seen.insert(key).inserted else {
                throw ConfigError(keyPath: keyPath(key), message: "duplicate key")
            }
            guard known.contains(key) else {
                let hint = known.filter { EditDistance.isPlausibleTypo(key, of: $0) }
                    .min { EditDistance.between(key, $0) < EditDistance.between(key, $1) }
                    .map { "did you mean \($0)?" } ?? "known keys: \(known.joined(separator: ", "))"
                throw ConfigError(keyPath: keyPath(key), message: "unknown key (\(hint))")
            }
        }
    }

    func value(_ key: String) -> ParsedJSON? {
        members.last { $0.0 == key }?.1
    }

    func mismatch(_ key: String, expected: String, got value: ParsedJSON) -> ConfigError {
        ConfigError(keyPath: keyPath(key), message: "expected \(expected), got \(value.shortDescription)")
    }

    func string(_ key: String, expected: String = "a string") throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, !text.isEmpty else { throw mismatch(key, expected: expected, got: value) }
        return text
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(key, expected: "true or false", got: value) }
        return flag
    }

    /// An integer written without fraction or exponent, within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, expected: String) throws(ConfigError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let text) = value, let number = Int(text), range.contains(number) else {
            throw mismatch(key, expected: expected, got: value)
        }
        return number
    }

    func number(_ key: String, in range: ClosedRange<Double>, expected: String) throws(ConfigError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let text) = value, let number = Double(text), range.contains(number) else {
            throw mismatch(key, expected: expected, got: value)
        }
        return number
    }

    func stringArray(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else { throw mismatch(key, expected: "an array of strings", got: value) }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw mismatch("\(key)[\(index)]", expected: "a string", got: element)
            }
            strings.append(text)
        }
        return strings
    }

    func object(_ key: String) throws(ConfigError) -> ConfigObjectReader? {
        guard let value = value(key) else { return nil }
        return try ConfigObjectReader(value, path: keyPath(key))
    }
}
