/// The API keys the proxy accepts, from `api_keys`/`api_keys_file` (client) and
/// `admin_api_keys`/`admin_api_keys_file` (management). Both empty: access control is off.
/// Printing one never shows a key.
public struct APIKeys: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var client: [String]
    public var admin: [String]

    public init(client: [String] = [], admin: [String] = []) {
        self.client = client
        self.admin = admin
    }

    public var isEmpty: Bool { client.isEmpty && admin.isEmpty }

    public var description: String { "APIKeys(client: \(client.count), admin: \(admin.count))" }
    public var debugDescription: String { description }

    /// Longest key the configuration accepts; longer ones are refused, not truncated.
    public static let maxKeyLength = 1024

    /// A key is 1 to `maxKeyLength` printable ASCII characters without spaces: what fits in a
    /// `Bearer` credential and an `x-api-key` header unchanged.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= maxKeyLength && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
