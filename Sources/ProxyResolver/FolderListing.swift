/// A snapshot of a models folder: its entries and, for subfolders, the names of the files in
/// them. A value, so discovery can be tested without touching the disk.
public struct FolderListing: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isDirectory: Bool
        /// Names of the files directly inside, for directories; empty otherwise.
        public var children: [String]

        public init(name: String, isDirectory: Bool = false, children: [String] = []) {
            self.name = name
            self.isDirectory = isDirectory
            self.children = children
        }

        public static func file(_ name: String) -> Entry { Entry(name: name) }

        public static func folder(_ name: String, _ children: [String]) -> Entry {
            Entry(name: name, isDirectory: true, children: children)
        }
    }

    /// Absolute path of the folder.
    public var path: String
    public var entries: [Entry]

    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }
}
