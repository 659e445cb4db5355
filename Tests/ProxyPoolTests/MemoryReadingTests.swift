import CSystem
import Glibc
import Testing
@testable import ProxyPool

@Suite struct MemoryReadingTests {
    @Test func totalMemoryComesFromMemTotal() {
        let meminfo = "MemTotal:       16303492 kB\nMemFree:         1203400 kB\nMemAvailable:    9823412 kB\n"
        #expect(SystemMemory.parseTotalBytes(meminfo: meminfo) == 16_303_492 * 1024)
        #expect(SystemMemory.parseTotalBytes(meminfo: "MemFree: 1 kB\n") == nil)
        #expect((SystemMemory.totalBytes() ?? 0) > 64 << 20)  // this machine's
    }

    @Test func residentMemoryComesFromVmRSS() {
        let status = "Name:\tllama-server\nState:\tS (sleeping)\nVmPeak:\t  912344 kB\nVmRSS:\t   52340 kB\nThreads:\t9\n"
        #expect(ProcessMemory.parseResidentBytes(status: status) == 52_340 * 1024)
        let zombie: UInt64? = ProcessMemory.parseResidentBytes(status: "Name:\tzombie\nState:\tZ (zombie)\n")
        #expect(zombie == UInt64(0))
        #expect(ProcessMemory.parseResidentBytes(status: "") == nil)
    }

    @Test func aProcessTreeCountsItsChildren() throws {
        let own = try #require(ProcessMemory.residentBytes(of: getpid()))
        #expect(own > 1 << 20)
        var pid: pid_t = 0
        var childErrno: Int32 = 0
        let spawned = ChildProcess.withCStrings(["/bin/sleep", "30"]) { csystem_spawn("/bin/sleep", $0, nil, -1, &pid, &childErrno) }
        try #require(spawned == 0)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        #expect(ProcessMemory.childPIDs(of: getpid()).contains(pid))
        // Until the exec is done and the dynamic loader has settled, the child's RSS moves:
        // wait for two readings in a row that agree (the tree's reading then sits between them).
        var childBytes = try #require(ProcessMemory.residentBytes(of: pid))
        var treeBytes: UInt64?
        for _ in 0..<200 {
            usleep(10_000)
            let tree = ProcessMemory.residentBytes(ofTree: pid)
            let next = try #require(ProcessMemory.residentBytes(of: pid))
            if next == childBytes && tree == next {
                treeBytes = tree
                break
            }
            childBytes = next
        }
        #expect(childBytes > 0)
        #expect(treeBytes == childBytes, "a leaf's tree is the leaf itself")
        let tree = try #require(ProcessMemory.residentBytes(ofTree: getpid()))
        #expect(tree >= own + childBytes - (1 << 20))  // ours may shrink a little meanwhile
        #expect(ProcessMemory.residentBytes(of: Int32.max) == nil)
    }
}
