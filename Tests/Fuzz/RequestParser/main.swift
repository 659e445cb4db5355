/// Fuzzes `HTTPRequestParser`. Flags (see `SplitInput`): bits 0-1 pick the head limit, bits 2-3
/// the body limit. Invariants:
/// - whole, in the chosen pieces and byte by byte, the input yields the same parts, the same
///   error and leaves the same bytes unconsumed;
/// - parts follow the grammar (head, body?, end)*; a length-framed body has exactly its length,
///   and no body exceeds the body limit;
/// - a head written back out parses to the same head, and a request re-framed as a proxy sends it
///   (framing fields replaced by a Content-Length, or by chunked coding) parses to the same
///   head and body;
/// - after an error the parser repeats it.
func fuzzOne(_ input: [UInt8]) {
    let split = SplitInput(input)
    let limits = HTTPParserLimits(
        maxHeaderBytes: SplitInput.headerLimit(split.flags), maxBodyBytes: SplitInput.bodyLimit(split.flags >> 2))
    let whole = parseRequests(split.whole, limits: limits)
    let chosen = parseRequests(split.chosenPieces, limits: limits)
    invariant(whole == chosen, "whole: \(whole.description)\nin pieces \(split.pieceLengths): \(chosen.description)")
    let byteByByte = parseRequests(split.byteByByte, limits: limits)
    invariant(whole == byteByByte, "whole: \(whole.description)\nbyte by byte: \(byteByByte.description)")
    checkGrammar(whole.parts, limits: limits, chunkLength: split.pieceLengths.first ?? 7)
}

func parseRequests(_ pieces: [ArraySlice<UInt8>], limits: HTTPParserLimits) -> ParseOutcome<HTTPRequestPart> {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var outcome = ParseOutcome<HTTPRequestPart>()
    do {
        for piece in pieces {
            buffer.append(piece)
            while let part = try parser.next(&buffer) { outcome.append(part) }
        }
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

func checkGrammar(_ parts: [HTTPRequestPart], limits: HTTPParserLimits, chunkLength: Int) {
    var currentHead: HTTPRequestHead?
    var body: [UInt8] = []
    for part in parts {
        switch part {
        case .head(let head):
            invariant(currentHead == nil, "a head inside a message: \(parts)")
            currentHead = head
            body = []
            checkRoundTrip(head)
        case .body(let bytes):
            invariant(currentHead != nil, "a body outside a message: \(parts)")
            body += bytes
            invariant(body.count <= limits.maxBodyBytes, "a body of \(body.count) bytes over the limit \(limits.maxBodyBytes)")
        case .end:
            guard let head = currentHead else {
                invariant(false, "an end outside a message: \(parts)")
                return
            }
            let framing = try? head.headers.requestFraming(maxBodyBytes: limits.maxBodyBytes)
            switch framing {
            case .none?: invariant(body.isEmpty, "a body of \(body.count) bytes without framing")
            case .length(let length)?: invariant(body.count == length, "a body of \(body.count) bytes, declared \(length)")
            case .chunked?, .untilClose?: break
            case nil: invariant(false, "a request was parsed whose framing is refused: \(head)")
            }
            checkReframing(head, body: body, chunkLength: chunkLength)
            currentHead = nil
        }
    }
}

func checkReframing(_ head: HTTPRequestHead, body: [UInt8], chunkLength: Int) {
    var unframed = head
    unframed.headers.remove(name: "content-length")
    unframed.headers.remove(name: "transfer-encoding")

    var byLength = unframed
    if !body.isEmpty { byLength.headers.add(name: "Content-Length", value: String(body.count)) }
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

/// `written` must parse, whole, as exactly one request with this head and body.
func expectMessage(_ written: [UInt8], head: HTTPRequestHead, body: [UInt8]) {
    let outcome = parseRequests([written[...]], limits: HTTPParserLimits(maxHeaderBytes: .max, maxBodyBytes: .max))
    var expected = ParseOutcome<HTTPRequestPart>()
    expected.parts = [.head(head)] + (body.isEmpty ? [] : [.body(body[...])]) + [.end]
    invariant(outcome == expected, "\(shown(written)) parsed as \(outcome.description), not \(expected.description)")
}

func checkRoundTrip(_ head: HTTPRequestHead) {
    var written: [UInt8] = []
    head.write(into: &written)
    let reparsed = written.withUnsafeBytes { bytes in
        Result { () throws(HTTPParseError) -> HTTPRequestHead in try HTTPRequestHead.parse(bytes) }
    }
    invariant(reparsed == .success(head), "\(head) was written as \(shown(written)) and read back as \(reparsed)")
}
