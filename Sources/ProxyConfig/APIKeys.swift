/// The API keys the proxy accepts, from `api_keys`/`api_keys_file` (client) and
/// `admin_api_keys`/`admin_api_keys_file` (management). A kind of key is enforced when some are
/// configured or a keys file is named, even one left empty (emptying the file locks out, it does
/// not open up). Neither enforced: access control is off. Printing one never shows a key.
public struct APIKeys: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var client: [String]
    public var admin: [String]
    /// Absolute paths of the keys files, when named.
    public var clientFile: String?
    public var adminFile: String?

    public init(client: [String] = [], admin: [String] = [], clientFile: String? = nil, adminFile: String? = nil) {
        self.client = client
        self.admin = admin
        self.clientFile = clientFile
        self.adminFile = adminFile
    }

    public var enforcesClientKeys: Bool { !client.isEmpty || clientFile != nil }
    public var enforcesAdminKeys: Bool { !admin.isEmpty || adminFile != nil }
    public var isOff: Bool { !enforcesClientKeys && !enforcesAdminKeys }

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
