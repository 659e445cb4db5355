import Foundation
import Glibc
import Testing

@testable import ProxyAPI

/// Runtime folders left by dead proxies are removed at start; nothing else is touched.
@Suite struct StaleRuntimeFoldersTests {
    let parent: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "stale-folders-test.XXXXXX").utf8CString)
        parent = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
    }

    func make(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: parent + "/" + relative, withIntermediateDirectories: true)
    }

    func write(_ relative: String) throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: parent + "/" + relative))
    }

    func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(parent + "/" + relative, &info) == 0
    }

    @Test func removesOnlyOurFoldersOfDeadProxiesWithoutFollowingLinks() throws {
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // A dead proxy's folder: sockets, a plugin folder with a partial copy, and a link out.
        try make("llama-smart-proxy-111/llama-smart-proxy-plugins.abc123")
        try write("llama-smart-proxy-111/tiny-a-1.sock")
        try write("llama-smart-proxy-111/llama-smart-proxy-plugins.abc123/1-1-libX.so")
        try make("outside")
        try write("outside/keep")
        try FileManager.default.createSymbolicLink(atPath: parent + "/llama-smart-proxy-111/link", withDestinationPath: parent + "/outside")
        // A live one, our own, a link named like a folder, a plain file and unrelated names.
        try make("llama-smart-proxy-222")
        try write("llama-smart-proxy-222/tiny-b-1.sock")
        try make("llama-smart-proxy-333")
        try FileManager.default.createSymbolicLink(atPath: parent + "/llama-smart-proxy-444", withDestinationPath: parent + "/outside")
        try write("llama-smart-proxy-555")
        try make("llama-smart-proxy-12x")
        try make("llama-smart-proxy-")
        try make("other-666")

        var asked: [pid_t] = []
        let removed = StaleRuntimeFolders.sweep(parent: parent, ownPID: 333, uid: getuid()) { _, _, pid in
            asked.append(pid)
            return pid == 222
        }
        #expect(removed == ["llama-smart-proxy-111"])
        #expect(!exists("llama-smart-proxy-111"))
        #expect(exists("outside/keep"), "the link was removed, not followed")
        #expect(exists("llama-smart-proxy-222/tiny-b-1.sock"))
        #expect(exists("llama-smart-proxy-333"))
        #expect(exists("llama-smart-proxy-444") && exists("llama-smart-proxy-555"))
        #expect(exists("llama-smart-proxy-12x") && exists("llama-smart-proxy-") && exists("other-666"))
        #expect(asked.sorted() == [111, 222], "only real folders named by a pid are checked")
    }

    @Test func foldersOfAnotherUserAreLeftAlone() throws {
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try make("llama-smart-proxy-111")
        let removed = StaleRuntimeFolders.sweep(parent: parent, ownPID: 1, uid: getuid() &+ 1) { _, _, _ in false }
        #expect(removed.isEmpty)
        #expect(exists("llama-smart-proxy-111"))
    }

    @Test(arguments: [
        ("llama-smart-proxy-1234", 1234 as pid_t?), ("llama-smart-proxy-0", nil), ("llama-smart-proxy-", nil),
        ("llama-smart-proxy--1", nil), ("llama-smart-proxy-99999999999", nil), ("llama-smart-proxy-plugins.ab12", nil),
        ("llama-smart-proxy-١٢", nil), ("llama-smart-proxy-77.creating", 77), ("llama-smart-proxy-.creating", nil),
        ("llama-smart-proxy-77.creatingx", nil),
    ])
    func folderNamesCarryAPid(name: String, pid: pid_t?) {
        #expect(StaleRuntimeFolders.pid(inFolderName: name) == pid)
    }

    /// Liveness is the owner's lock, not its name: a live owner under any executable name keeps
    /// its folder; once it is gone (the kernel drops the lock) the folder goes.
    @Test func aFolderIsKeptWhileItsLockIsHeldByAnotherProcess() throws {
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try make("llama-smart-proxy-424242")
        try write("llama-smart-proxy-424242/owner.lock")
        try write("llama-smart-proxy-424242/tiny-a-1.sock")
        let holder = Process()
        // One process holds it: the shell takes the lock on descriptor 9, then becomes sleep.
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<\"$0\"; flock 9; echo locked; exec sleep 60", parent + "/llama-smart-proxy-424242/owner.lock"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        _ = output.fileHandleForReading.readData(ofLength: 7)  // "locked": the lock is held now
        #expect(StaleRuntimeFolders.sweep(parent: parent).isEmpty)
        #expect(exists("llama-smart-proxy-424242/tiny-a-1.sock"))
        holder.terminate()
        holder.waitUntilExit()
        for _ in 0..<500 where !StaleRuntimeFolders.sweep(parent: parent).contains("llama-smart-proxy-424242") {
            usleep(10_000)
        }
        #expect(!exists("llama-smart-proxy-424242"))
    }

    @Test func aClaimedFolderIsOwnedUntilReleased() throws {
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // A pid above any pid_max, so that once released, the folder's pid is surely dead.
        try make("llama-smart-proxy-99999997.creating")  // left by a process with this pid that died mid-claim
        let folder = try RuntimeFolder.claim(parent: parent, pid: 99_999_997)
        #expect(folder.path == parent + "/llama-smart-proxy-99999997")
        #expect(exists("llama-smart-proxy-99999997/owner.lock") && !exists("llama-smart-proxy-99999997.creating"))
        #expect(StaleRuntimeFolders.sweep(parent: parent, ownPID: 1).isEmpty, "a second descriptor cannot take the lock")
        try write("llama-smart-proxy-99999997/leftover.sock")
        folder.release()
        #expect(exists("llama-smart-proxy-99999997/leftover.sock"), "a folder still holding files stays")
        #expect(!exists("llama-smart-proxy-99999997/owner.lock"))
        #expect(StaleRuntimeFolders.sweep(parent: parent, ownPID: 1) == ["llama-smart-proxy-99999997"])
    }

    @Test func withoutALockFileThePidDecides() throws {
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try make("llama-smart-proxy-\(getpid())")  // an older proxy's folder, its pid alive
        try make("llama-smart-proxy-99999999")  // above any pid_max: dead
        try make("llama-smart-proxy-99999998")
        try write("llama-smart-proxy-99999998/owner.lock")  // unlocked: its owner is gone
        let removed = StaleRuntimeFolders.sweep(parent: parent, ownPID: 1)
        #expect(removed == ["llama-smart-proxy-99999998", "llama-smart-proxy-99999999"])
        #expect(exists("llama-smart-proxy-\(getpid())"))
    }
}
