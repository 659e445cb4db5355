import HTTPCodec

/// What a parser produced from a whole input: its parts, with adjacent body pieces merged (so the
/// result does not depend on how the input was split), and the error that stopped it, if any.
struct Outcome<Part: Equatable & Sendable>: Equatable, Sendable, CustomStringConvertible {
    var parts: [Part]
    var error: HTTPParseError?

    init(_ parts: [Part], error: HTTPParseError? = nil) {
        self.parts = parts
        self.error = error
    }

    var description: String { "\(parts)" + (error.map { " then \($0)" } ?? "") }
}

enum ParserReplay {
    static func request(
        _ input: [UInt8], _ feeding: Feeding, limits: HTTPParserLimits = .init()
    ) -> Outcome<HTTPRequestPart> {
        var parser = HTTPRequestParser(limits: limits)
        var buffer = ByteBuffer()
        var parts: [HTTPRequestPart] = []
        do {
            for piece in feeding.pieces(of: input) {
                buffer.append(piece)
                while let part = try parser.next(&buffer) { appendMerging(part, to: &parts) }
            }
        } catch {
            return Outcome(parts, error: error)
        }
        return Outcome(parts)
    }

    /// `methods` are announced one per response (then "GET"); `closeAtEnd` reports the upstream
    /// closing after the last byte.
    static func response(
        _ input: [UInt8], _ feeding: Feeding, methods: [String] = [], closeAtEnd: Bool = false,
        limits: HTTPParserLimits = .init()
    ) -> Outcome<HTTPResponsePart> {
        var parser = HTTPResponseParser(limits: limits)
        var buffer = ByteBuffer()
        var parts: [HTTPResponsePart] = []
        var pendingMethods = methods[...]
        parser.expectResponse(toMethod: pendingMethods.popFirst() ?? "GET")
        func collect(_ part: HTTPResponsePart) {
            appendMerging(part, to: &parts)
            if part == .end { parser.expectResponse(toMethod: pendingMethods.popFirst() ?? "GET") }
        }
        do {
            for piece in feeding.pieces(of: input) {
                buffer.append(piece)
                while let part = try parser.next(&buffer) { collect(part) }
            }
            if closeAtEnd, let part = try parser.inputClosed() { collect(part) }
        } catch {
            return Outcome(parts, error: error)
        }
        return Outcome(parts)
    }

    private static func appendMerging<Part: MergeableBody>(_ part: Part, to parts: inout [Part]) {
        if let bytes = part.bodyBytes, let last = parts.last, let previous = last.bodyBytes {
            parts[parts.count - 1] = Part.body(previous + bytes)
        } else {
            parts.append(part)
        }
    }
}

protocol MergeableBody {
    static func body(_ bytes: ArraySlice<UInt8>) -> Self
    var bodyBytes: ArraySlice<UInt8>? { get }
}

extension HTTPRequestPart: MergeableBody {
    var bodyBytes: ArraySlice<UInt8>? {
        if case .body(let bytes) = self { bytes } else { nil }
    }
}

extension HTTPResponsePart: MergeableBody {
    var bodyBytes: ArraySlice<UInt8>? {
        if case .body(let bytes) = self { bytes } else { nil }
    }
}

/// Shorthand for expected parts.
func body(_ text: String) -> ArraySlice<UInt8> {
    ArraySlice(text.utf8)
}
