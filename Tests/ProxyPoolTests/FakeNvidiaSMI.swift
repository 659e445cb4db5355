import Foundation
@testable import ProxyPool

/// A script standing in for nvidia-smi: prints the text in its answer file and exits with
/// `status`, and appends each call's arguments to its calls file.
struct FakeNvidiaSMI {
    let folder: URL
    var script: URL { folder.appendingPathComponent("nvidia-smi") }
    var answerFile: URL { folder.appendingPathComponent("answer") }
    var callsFile: URL { folder.appendingPathComponent("calls") }
    var smi: NvidiaSMI { NvidiaSMI(executable: script.path) }

    init(answer: String, status: Int = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nvidia-smi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try self.answer(answer)
        let text = "#!/bin/sh\necho \"$@\" >> '\(callsFile.path)'\ncat '\(answerFile.path)'\nexit \(status)\n"
        try text.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }

    /// Replaces the answer at once (a rename: a call never reads half of it).
    func answer(_ text: String) throws {
        try text.write(to: answerFile, atomically: true, encoding: .utf8)
    }

    var calls: [String] {
        ((try? String(contentsOf: callsFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
