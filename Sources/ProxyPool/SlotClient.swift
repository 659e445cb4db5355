import Endpoints
import Foundation
import Glibc

/// llama-server's slot endpoints over the child's socket, blocking (run off the pool's lock and
/// off every event loop): `GET /slots`, `POST /slots/N?action=save|restore`. One request per
/// connection (`Connection: close`); each connect, send and receive is bounded by `timeout`.
struct SlotClient: Sendable {
    var endpoint: UpstreamEndpoint
    var timeout: Double

    /// Largest answer read (`GET /slots` lists every slot with its sampling parameters).
    static let maximumResponseBytes = 16 << 20

    /// The ids of the slots that hold a prompt (llama-server lists `n_prompt_tokens` only for
    /// slots that have served a task); nil when the list cannot be had.
    func occupiedSlots() -> [Int]? {
        guard let (status, body) = request("GET", "/slots", body: nil), status == 200,
              let list = try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]
        else { return nil }
        return list.compactMap { slot in
            guard let id = slot["id"] as? Int, let tokens = slot["n_prompt_tokens"] as? Int, tokens > 0 else { return nil }
            return id
        }
    }

    /// Saves one slot into the file `name` of the child's `--slot-save-path`: the tokens saved
    /// and the bytes written, or the reason it failed.
    func save(slot: Int, name: String) -> Result<(tokens: Int, bytes: UInt64), SlotCacheFailure> {
        switch action("save", slot: slot, name: name) {
        case .failure(let failure): return .failure(failure)
        case .success(let answer):
            let tokens = answer["n_saved"] as? Int ?? 0
            let bytes = answer["n_written"] as? Int ?? 0
            return .success((tokens, UInt64(max(0, bytes))))
        }
    }

    /// Restores the file `name` into `slot`: the tokens restored, or the reason it failed.
    func restore(slot: Int, name: String) -> Result<Int, SlotCacheFailure> {
        action("restore", slot: slot, name: name).map { $0["n_restored"] as? Int ?? 0 }
    }

    private func action(_ action: String, slot: Int, name: String) -> Result<[String: Any], SlotCacheFailure> {
        let body = Array("{\"filename\":\"\(name)\"}".utf8)  // names are made here: slot<N>.bin
        guard let (status, answer) = request("POST", "/slots/\(slot)?action=\(action)", body: body) else {
            return .failure(SlotCacheFailure(message: "no answer from llama-server"))
        }
        let object = (try? JSONSerialization.jsonObject(with: answer)) as? [String: Any]
        guard status == 200, let object else {
            let message = ((object?["error"] as? [String: Any])?["message"] as? String) ?? "HTTP \(status)"
            return .failure(SlotCacheFailure(message: message))
        }
        return .success(object)
    }

    /// The status and body of one request, or nil (connect, send or read failed, or no
    /// parseable head).
    func request(_ method: String, _ path: String, body: [UInt8]?) -> (Int, Data)? {
        let fd = BlockingSocket.connect(endpoint, timeout: timeout)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        guard BlockingSocket.sendAll(fd, Array((head + "\r\n").utf8) + (body ?? [])) else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while response.count < Self.maximumResponseBytes {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return Self.split(response)
    }

    /// Status and body of a `Connection: close` answer (chunked bodies are joined).
    static func split(_ response: [UInt8]) -> (Int, Data)? {
        guard let status = HealthProbe.parseStatusCode(response) else { return nil }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = response.indices.first(where: { response[$0...].starts(with: separator) }) else { return nil }
        let headText = String(decoding: response[..<end], as: UTF8.self).lowercased()
        let body = Array(response[(end + 4)...])
        guard headText.contains("transfer-encoding: chunked") else { return (status, Data(body)) }
        return (status, Data(dechunk(body)))
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].indices.first(where: { bytes[$0] == UInt8(ascii: "\r") }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            output += bytes[start..<(start + size)]
            index = start + size + 2
        }
        return output
    }
}

/// Why a save or restore did not happen (for the log line only).
struct SlotCacheFailure: Error, Sendable {
    var message: String
}
