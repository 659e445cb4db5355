/// Finds the value of one field of a `multipart/form-data` body (RFC 7578 over RFC 2046 §5.1.1)
/// without rebuilding or copying the body: fed the body in pieces of any size, it keeps only
/// the current part-header line and the wanted value, each bounded.
///
/// The grammar it follows: a preamble (ignored), the first `--boundary` at the very start or
/// after a CRLF, transport padding (spaces, tabs) and CRLF after each boundary, then a part's
/// header lines (CRLF-terminated, no folding) up to an empty line, then its content up to the
/// next CRLF `--boundary`; `--boundary--` closes the body. The first part whose
/// `Content-Disposition: form-data; name="…"` names the field gives the value (its whole
/// content, raw bytes); scanning stops there.
public struct MultipartFieldScanner: Sendable {
    public enum Outcome: Sendable, Equatable {
        case needMore
        case found([UInt8])
        /// The body closed, or ended, without the field.
        case absent
    }

    private enum State: Sendable {
        /// Inside the preamble or a part's content; `matched` bytes of the delimiter seen.
        case content(matched: Int, target: Bool)
        /// Just after a boundary: `--` closes the body, padding and CRLF start a part.
        case afterBoundary(dashes: Int)
        case padding(sawCR: Bool)
        case headers(line: [UInt8], sawCR: Bool, total: Int, target: Bool)
        case done
    }

    /// CRLF `--` boundary.
    private let delimiter: [UInt8]
    private let field: String
    private let maxHeaderBytes: Int
    private let maxValueBytes: Int
    private var state: State
    private var value: [UInt8] = []
    public private(set) var outcome: Outcome = .needMore
    /// Once thrown, every later `feed` and `finish` throws it again.
    private var failed: MultipartError?

    /// `maxHeaderBytes` bounds each part's header section, `maxValueBytes` the field's value.
    public init(boundary: [UInt8], field: String, maxHeaderBytes: Int, maxValueBytes: Int) {
        delimiter = Array("\r\n--".utf8) + boundary
        self.field = field
        self.maxHeaderBytes = maxHeaderBytes
        self.maxValueBytes = maxValueBytes
        // The body's first boundary needs no CRLF before it: start as if one had been seen.
        state = .content(matched: 2, target: false)
    }

    /// Reads `bytes`, the body's next piece; once the outcome is decided, further bytes are ignored.
    @discardableResult
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(MultipartError) -> Outcome {
        if let failed { throw failed }
        do throws(MultipartError) {
            return try scan(bytes)
        } catch {
            failed = error
            throw error
        }
    }

    private mutating func scan(_ bytes: some Sequence<UInt8>) throws(MultipartError) -> Outcome {
        var failure: MultipartError?
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(MultipartError) { try feed(contiguous: buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        if contiguous != nil { return outcome }
        for byte in bytes where isUndecided {
            try step(byte)
        }
        return outcome
    }

    private var isUndecided: Bool {
        if case .needMore = outcome { return true }
        return false
    }

    /// A file part's content (most of a form's bytes) is skipped up to the next CR (memchr)
    /// without going through the state machine byte by byte.
    private mutating func feed(contiguous buffer: UnsafeBufferPointer<UInt8>) throws(MultipartError) {
        var index = 0
        while index < buffer.count, isUndecided {
            if case .content(0, false) = state {
                index = ByteScan.first(0x0D, in: buffer, from: index)
                guard index < buffer.count else { return }
            }
            try step(buffer[index])
            index += 1
        }
    }

    /// The body ended: the outcome, `.absent` when the field was not seen.
    public mutating func finish() throws(MultipartError) -> Outcome {
        if let failed { throw failed }
        guard outcome == .needMore else { return outcome }
        if case .content(_, true) = state { throw .truncated }
        if case .headers(_, _, _, true) = state { throw .truncated }
        outcome = .absent
        state = .done
        return outcome
    }

    /// The value of `field` in a whole `body`, or nil when it has none.
    public static func value(of field: String, in body: some Sequence<UInt8>, boundary: [UInt8],
                             maxHeaderBytes: Int, maxValueBytes: Int) throws(MultipartError) -> [UInt8]? {
        var scanner = MultipartFieldScanner(boundary: boundary, field: field, maxHeaderBytes: maxHeaderBytes, maxValueBytes: maxValueBytes)
        try scanner.feed(body)
        if case .found(let value) = try scanner.finish() { return value }
        return nil
    }

    private mutating func step(_ byte: UInt8) throws(MultipartError) {
        switch state {
        case .content(let matched, let target):
            try content(byte, matched: matched, target: target)
        case .afterBoundary(0):
            if byte == UInt8(ascii: "-") {
                state = .afterBoundary(dashes: 1)
            } else {
                state = .padding(sawCR: false)
                try step(byte)
            }
        case .afterBoundary:
            guard byte == UInt8(ascii: "-") else { throw .badPartHeader("a boundary is followed by a single \"-\"") }
            outcome = .absent
            state = .done
        case .padding(false):
            switch byte {
            case 0x20, 0x09: break
            case 0x0D: state = .padding(sawCR: true)
            default: throw .badPartHeader("a boundary line goes on after the boundary")
            }
        case .padding(true):
            guard byte == 0x0A else { throw .badPartHeader("a boundary line ends in CR without LF") }
            state = .headers(line: [], sawCR: false, total: 0, target: false)
        case .headers(var line, let sawCR, let total, var target):
            guard total < maxHeaderBytes else { throw .partHeaderTooLong(limit: maxHeaderBytes) }
            if sawCR {
                guard byte == 0x0A else { throw .badPartHeader("a header line has a CR without LF") }
                if line.isEmpty {
                    state = .content(matched: 0, target: target)
                    return
                }
                target = try isWantedField(headerLine: line) || target
                line.removeAll(keepingCapacity: true)
                state = .headers(line: line, sawCR: false, total: total + 1, target: target)
            } else if byte == 0x0D {
                state = .headers(line: line, sawCR: true, total: total + 1, target: target)
            } else if byte == 0x0A {
                throw .badPartHeader("a header line ends in LF without CR")
            } else {
                state = .done  // `line` is uniquely referenced while it grows
                line.append(byte)
                state = .headers(line: line, sawCR: false, total: total + 1, target: target)
            }
        case .done:
            break
        }
    }

    private mutating func content(_ byte: UInt8, matched: Int, target: Bool) throws(MultipartError) {
        if byte == delimiter[matched] {
            guard matched + 1 == delimiter.count else {
                state = .content(matched: matched + 1, target: target)
                return
            }
            if target {
                outcome = .found(value)
                state = .done
            } else {
                state = .afterBoundary(dashes: 0)
            }
            return
        }
        // The delimiter holds CR only at its start, so a mismatch restarts the match at this byte.
        if target {
            try keep(delimiter[0..<matched])
            if byte != delimiter[0] { try keep(CollectionOfOne(byte)) }
        }
        state = .content(matched: byte == delimiter[0] ? 1 : 0, target: target)
    }

    private mutating func keep(_ bytes: some Collection<UInt8>) throws(MultipartError) {
        guard value.count + bytes.count <= maxValueBytes else { throw .valueTooLong(limit: maxValueBytes) }
        value.append(contentsOf: bytes)
    }

    private func isWantedField(headerLine line: [UInt8]) throws(MultipartError) -> Bool {
        guard line[0] != 0x20, line[0] != 0x09 else { throw .badPartHeader("a folded header line (RFC 7578 has none)") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .badPartHeader("a header line without \":\"") }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        guard name.lowercased() == "content-disposition" else { return false }
        let text = String(decoding: line[(colon + 1)...], as: UTF8.self)
        guard let disposition = HeaderParameters(parsing: text) else {
            throw .badPartHeader("an unreadable Content-Disposition \"\(text.trimmingASCIIWhitespace())\"")
        }
        return disposition.value == "form-data" && disposition["name"] == field
    }
}
