/// Fuzzes `HTTPResponseParser`. Flags (see `SplitInput`): bits 0-1 pick the head limit, bit 2
/// reports the upstream closing after the last byte. The first message byte says which of the
/// first eight responses answer a HEAD request (bit i for response i). Invariants:
/// - whole, in the chosen pieces and byte by byte, the input yields the same parts, the same
///   error and leaves the same bytes unconsumed;
/// - parts follow the grammar (head, body?, end)*; no interim (1xx but 101) head is handed out;
///   answers to HEAD, 204 and 304 have no body; a length-framed body has exactly its length;
/// - a head written back out parses to the same head, and a response that may have a body,
///   re-framed as the proxy sends it to its client (Content-Length or chunked), parses to the
///   same head and body;
/// - after an error the parser repeats it.
func fuzzOne(_ input: [UInt8]) {
    var split = SplitInput(input)
    let headMask = split.takeSettingsByte()
    let limits = HTTPParserLimits(maxHeaderBytes: SplitInput.headerLimit(split.flags))
    let closeAtEnd = split.flags & 4 != 0
    let whole = parseResponses(split.whole, headMask: headMask, closeAtEnd: closeAtEnd, limits: limits)
    let chosen = parseResponses(split.chosenPieces, headMask: headMask, closeAtEnd: closeAtEnd, limits: limits)
    invariant(whole == chosen, "whole: \(whole.description)\nin pieces \(split.pieceLengths): \(chosen.description)")
    let byteByByte = parseResponses(split.byteByByte, headMask: headMask, closeAtEnd: closeAtEnd, limits: limits)
    invariant(whole == byteByByte, "whole: \(whole.description)\nbyte by byte: \(byteByByte.description)")
    checkGrammar(whole.parts, headMask: headMask, chunkLength: split.pieceLengths.first ?? 7)
}

func answersHead(_ response: Int, _ headMask: UInt8) -> Bool {
    response < 8 && headMask & (1 << UInt8(response)) != 0
}

func parseResponses(
    _ pieces: [ArraySlice<UInt8>], headMask: UInt8, closeAtEnd: Bool, limits: HTTPParserLimits
) -> ParseOutcome<HTTPResponsePart> {
    var parser = HTTPResponseParser(limits: limits)
    var buffer = ByteBuffer()
    var outcome = ParseOutcome<HTTPResponsePart>()
    var responses = 0
    parser.expectResponse(toMethod: answersHead(0, headMask) ? "HEAD" : "GET")
    func collect(_ part: HTTPResponsePart) {
        outcome.append(part)
        guard part == .end else { return }
        responses += 1
        parser.expectResponse(toMethod: answersHead(responses, headMask) ? "HEAD" : "GET")
    }
    do {
        for piece in pieces {
            buffer.append(piece)
            while let part = try parser.next(&buffer) { collect(part) }
        }
        if closeAtEnd, let part = try parser.inputClosed() { collect(part) }
    } catch {
        outcome.error = error
        do {
            _ = try parser.next(&buffer)
            invariant(false, "the parser went on after \(error)")
        } catch let repeated {
            invariant(repeated == error, "after \(error) the parser threw \(repeated)")
        }
        return outcome
    }
    outcome.unconsumed = Array(buffer.readableView)
    return outcome
}

func checkGrammar(_ parts: [HTTPResponsePart], headMask: UInt8, chunkLength: Int) {
    var currentHead: HTTPResponseHead?
    var body: [UInt8] = []
    var responses = 0
    for part in parts {
        switch part {
        case .head(let head):
            invariant(currentHead == nil, "a head inside a message: \(parts)")
            invariant(head.status / 100 != 1 || head.status == 101, "an interim response was handed out: \(head)")
            currentHead = head
            body = []
            checkRoundTrip(head)
        case .body(let bytes):
            guard let head = currentHead else {
                invariant(false, "a body outside a message: \(parts)")
                return
            }
            let bodiless = answersHead(responses, headMask) || [101, 204, 304].contains(head.status)
            invariant(!bodiless, "a body in the answer to a \(answersHead(responses, headMask) ? "HEAD" : "GET"): \(head)")
            body += bytes
        case .end:
            guard let head = currentHead else {
                invariant(false, "an end outside a message: \(parts)")
                return
            }
            if !answersHead(responses, headMask) && ![101, 204, 304].contains(head.status) {
                if case .length(let length)? = try? head.headers.responseFraming() {
                    invariant(body.count == length, "a body of \(body.count) bytes, declared \(length)")
                }
                checkReframing(head, body: body, chunkLength: chunkLength)
            }
            currentHead = nil
            responses += 1
        }
    }
}

func checkRoundTrip(_ head: HTTPResponseHead) {
    var written: [UInt8] = []
    head.write(into: &written)
    let reparsed = written.withUnsafeBytes { bytes in
        Result { () throws(HTTPParseError) -> HTTPResponseHead in try HTTPResponseHead.parse(bytes) }
    }
    invariant(reparsed == .success(head), "\(head) was written as \(shown(written)) and read back as \(reparsed)")
}

func checkReframing(_ head: HTTPResponseHead, body: [UInt8], chunkLength: Int) {
    var unframed = head
    unframed.headers.remove(name: "content-length")
    unframed.headers.remove(name: "transfer-encoding")

    var byLength = unframed
    byLength.headers.add(name: "Content-Length", value: String(body.count))
    var written: [UInt8] = []
    byLength.write(into: &written)
    written += body
    expectMessage(written, head: byLength, body: body)

    var byChunks = unframed
    byChunks.headers.add(name: "Transfer-Encoding", value: "chunked")
    written = []
    byChunks.write(into: &written)
    var start = 0
    while start < body.count {
        let end = min(body.count, start + chunkLength)
        ChunkedEncoding.appendChunk(body[start..<end], to: &written)
        start = end
    }
    written += ChunkedEncoding.lastChunk
    expectMessage(written, head: byChunks, body: body)
}

/// `written` must parse, whole, as exactly one response to a GET with this head and body.
func expectMessage(_ written: [UInt8], head: HTTPResponseHead, body: [UInt8]) {
    let outcome = parseResponses([written[...]], headMask: 0, closeAtEnd: false, limits: HTTPParserLimits(maxHeaderBytes: .max))
    var expected = ParseOutcome<HTTPResponsePart>()
    expected.parts = [.head(head)] + (body.isEmpty ? [] : [.body(body[...])]) + [.end]
    invariant(outcome == expected, "\(shown(written)) parsed as \(outcome.description), not \(expected.description)")
}
