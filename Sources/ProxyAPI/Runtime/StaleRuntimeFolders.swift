import Glibc

/// Removes the runtime folders (`<tmp>/llama-smart-proxy-<pid>`: model sockets, the plugins'
/// private copies) that a crashed or SIGKILLed proxy left behind. Only folders owned by this
/// user that no live process holds (`RuntimeFolder`'s lock) go; nothing is followed through a
/// symbolic link (every step opens relative to its parent's descriptor with O_NOFOLLOW).
enum StaleRuntimeFolders {
    static let prefix = "llama-smart-proxy-"

    /// Deeper than anything the proxy creates; a folder nested deeper is left alone.
    static let maximumDepth = 8

    /// The folder this process uses.
    static func path(parent: String, pid: pid_t) -> String {
        (parent.hasSuffix("/") ? parent : parent + "/") + prefix + String(pid)
    }

    /// Sweeps `parent`; returns the names of the folders removed.
    @discardableResult
    static func sweep(parent: String, ownPID: pid_t = getpid(), uid: uid_t = getuid(),
                      isOwned: (_ parentFD: Int32, _ name: String, _ pid: pid_t) -> Bool = RuntimeFolder.isOwned) -> [String] {
        let parentFD = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parentFD >= 0 else { return [] }
        defer { close(parentFD) }
        var removed: [String] = []
        for name in entryNames(parentFD) {
            guard let pid = pid(inFolderName: name), pid != ownPID,
                  let info = lstatAt(parentFD, name), (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == uid,
                  !isOwned(parentFD, name, pid)
            else { continue }
            if removeTree(parentFD, name, depth: 0) { removed.append(name) }
        }
        return removed.sorted()
    }

    /// `llama-smart-proxy-1234` -> 1234 (also `llama-smart-proxy-1234.creating`, a folder that
    /// `RuntimeFolder.claim` had not yet renamed into place); nil for any other name.
    static func pid(inFolderName name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        var digits = name.dropFirst(prefix.count)
        if digits.hasSuffix(RuntimeFolder.stagingSuffix) { digits = digits.dropLast(RuntimeFolder.stagingSuffix.count) }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int32(digits), value > 0 else { return nil }
        return value
    }

    /// Removes the folder at `path` and everything in it (links removed, never followed).
    static func removeFolder(at path: String) -> Bool {
        let slash = path.lastIndex(of: "/")!
        let parent = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
        let parentFD = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parentFD >= 0 else { return false }
        defer { close(parentFD) }
        return removeTree(parentFD, String(path[path.index(after: slash)...]), depth: 0)
    }

    private static func lstatAt(_ directoryFD: Int32, _ name: String) -> stat? {
        var info = stat()
        return fstatat(directoryFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    private static func entryNames(_ directoryFD: Int32) -> [String] {
        // fdopendir takes the descriptor over, so hand it a duplicate.
        let copy = dup(directoryFD)
        guard copy >= 0, let directory = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `name` (a directory in `parentFD`) and everything in it; symbolic links are
    /// removed as links, never followed.
    private static func removeTree(_ parentFD: Int32, _ name: String, depth: Int) -> Bool {
        guard depth < maximumDepth else { return false }
        let fd = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        for entry in entryNames(fd) {
            if let info = lstatAt(fd, entry), (info.st_mode & S_IFMT) == S_IFDIR {
                _ = removeTree(fd, entry, depth: depth + 1)
            } else {
                unlinkat(fd, entry, 0)
            }
        }
        close(fd)
        return unlinkat(parentFD, name, AT_REMOVEDIR) == 0
    }
}
