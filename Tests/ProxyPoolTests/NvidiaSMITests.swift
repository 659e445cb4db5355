import Testing
@testable import ProxyPool

@Suite struct NvidiaSMITests {
    @Test func readsTheUsedMemoryOfOneGPU() throws {
        let fake = try FakeNvidiaSMI(answer: "  1234\n")
        defer { fake.remove() }
        #expect(try fake.smi.usedBytes(index: 2).get() == 1234 * PoolDevice.mebibyte)
        #expect(fake.calls == ["--query-gpu=memory.used --format=csv,noheader,nounits -i 2"])
    }

    @Test func failuresSayWhy() throws {
        let broken = try FakeNvidiaSMI(answer: "No devices were found\n", status: 6)
        defer { broken.remove() }
        #expect(broken.smi.usedBytes(index: 0)
            == .failure(NvidiaSMIError("\(broken.script.path) exited with status 6: No devices were found")))
        let odd = try FakeNvidiaSMI(answer: "[N/A]\n")
        defer { odd.remove() }
        #expect(odd.smi.usedBytes(index: 0) == .failure(NvidiaSMIError("unexpected answer from \(odd.script.path): [N/A]")))
        let missing = NvidiaSMI(executable: "/nonexistent/nvidia-smi")
        #expect(missing.usedBytes(index: 0) == .failure(NvidiaSMIError("cannot execute /nonexistent/nvidia-smi: No such file or directory")))
    }
}
