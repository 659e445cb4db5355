import Glibc

/// sshd's StrictModes for plugins: code that another user could have written is not loaded.
enum FileSafety {
    /// Why `path` must not be trusted, or nil when only its owner (us or root) can write it.
    static func unsafeReason(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "cannot stat: \(String(cString: strerror(errno)))" }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "writable by group or others (mode \(String(info.st_mode & 0o777, radix: 8)))"
        }
        if info.st_uid != getuid() && info.st_uid != 0 {
            return "owned by uid \(info.st_uid), neither this user nor root"
        }
        return nil
    }
}
