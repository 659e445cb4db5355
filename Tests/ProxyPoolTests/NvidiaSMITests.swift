import Foundation
import Testing
@testable import ProxyPool

@Suite struct NvidiaSMITests {
    /// A script standing in for nvidia-smi: prints `answer` and exits with `status`, and records its arguments.
    func fake(answer: String, status: Int = 0) throws -> (NvidiaSMI, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nvidia-smi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("nvidia-smi")
        try "#!/bin/sh\necho \"$@\" > \(folder.path)/arguments\nprintf '\(answer)'\nexit \(status)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return (NvidiaSMI(executable: script.path), folder)
    }

    @Test func readsTheUsedMemoryOfOneGPU() throws {
        let (smi, folder) = try fake(answer: "  1234\\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try smi.usedBytes(index: 2).get() == 1234 * PoolDevice.mebibyte)
        let arguments = try String(contentsOf: folder.appendingPathComponent("arguments"), encoding: .utf8)
        #expect(arguments == "--query-gpu=memory.used --format=csv,noheader,nounits -i 2\n")
    }

    @Test func failuresSayWhy() throws {
        let (broken, folder) = try fake(answer: "No devices were found\\n", status: 6)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(broken.usedBytes(index: 0) == .failure(NvidiaSMIError("\(broken.executable) exited with status 6: No devices were found")))
        let (odd, other) = try fake(answer: "[N/A]\\n")
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(odd.usedBytes(index: 0) == .failure(NvidiaSMIError("unexpected answer from \(odd.executable): [N/A]")))
        let missing = NvidiaSMI(executable: "/nonexistent/nvidia-smi")
        #expect(missing.usedBytes(index: 0) == .failure(NvidiaSMIError("cannot execute /nonexistent/nvidia-smi: No such file or directory")))
    }
}
