import Foundation

extension FolderListing {
    /// Lists `path` and one level of subfolders, following symbolic links. An unreadable or
    /// missing folder gives an empty listing: the configuration check already reported it, and a
    /// folder that vanished later should not stop the proxy.
    public static func read(path: String) -> FolderListing {
        let fileManager = FileManager.default
        let names = (try? fileManager.contentsOfDirectory(atPath: path)) ?? []
        let entries = names.sorted().map { name in
            let fullPath = path + "/" + name
            guard isDirectory(fullPath) else { return Entry.file(name) }
            let children = ((try? fileManager.contentsOfDirectory(atPath: fullPath)) ?? [])
                .filter { !isDirectory(fullPath + "/" + $0) }
                .sorted()
            return Entry.folder(name, children)
        }
        return FolderListing(path: path, entries: entries)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
