import Glibc

/// This process's runtime folder (`<tmp>/llama-smart-proxy-<pid>`: model sockets, the plugins'
/// private copies), claimed for as long as the process lives by an exclusive `flock` on the
/// `owner.lock` file inside it. The kernel drops the lock when the process ends, however it
/// ends, so a sweeping proxy tells a live owner from a dead one by trying the lock, whatever the
/// owner's executable is called (a renamed binary, one run under valgrind) and even if its pid
/// was reused since.
///
/// The folder is made under a temporary name, locked, and then renamed into place, so a folder
/// with the final name always has its lock file, held by its owner from the start.
final class RuntimeFolder: Sendable {
    static let lockFileName = "owner.lock"
    static let stagingSuffix = ".creating"

    let path: String
    private let lockFD: Int32

    struct ClaimError: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates and claims the folder for `pid` in `parent`.
    static func claim(parent: String, pid: pid_t = getpid()) throws -> RuntimeFolder {
        let path = StaleRuntimeFolders.path(parent: parent, pid: pid)
        let staging = path + stagingSuffix
        func failure(_ step: String, _ code: Int32) -> ClaimError {
            ClaimError(description: "cannot create the runtime folder \(path): \(step): \(String(cString: strerror(code)))")
        }
        _ = StaleRuntimeFolders.removeFolder(at: staging)  // a previous process with our pid got this far
        guard mkdir(staging, 0o700) == 0 else { throw failure("mkdir", errno) }
        let fd = open(staging + "/" + lockFileName, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("lock file", errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            throw failure("flock", code)
        }
        // Our pid's folder can only be left by a dead process (our pid was free when we started).
        _ = StaleRuntimeFolders.removeFolder(at: path)
        guard rename(staging, path) == 0 else {
            let code = errno
            close(fd)
            throw failure("rename", code)
        }
        return RuntimeFolder(path: path, lockFD: fd)
    }

    private init(path: String, lockFD: Int32) {
        self.path = path
        self.lockFD = lockFD
    }

    /// At exit, once everything else in it is gone: the folder is removed (if anything was left
    /// in it, the folder stays, unlocked, for the next proxy's sweep).
    func release() {
        unlink(path + "/" + Self.lockFileName)
        close(lockFD)
        rmdir(path)
    }

    /// Whether the folder `name` in `parentFD` still belongs to a live process: its lock file is
    /// locked. A folder without one (made by an older version of the proxy) belongs to a live
    /// process while its pid exists.
    static func isOwned(in parentFD: Int32, folder name: String, pid: pid_t) -> Bool {
        let folderFD = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folderFD >= 0 else { return true }  // cannot look inside: leave it alone
        defer { close(folderFD) }
        let fd = openat(folderFD, lockFileName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return kill(pid, 0) == 0 || errno == EPERM }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }
}
