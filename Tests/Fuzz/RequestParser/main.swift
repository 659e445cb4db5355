/// Fuzzes `HTTPRequestParser`. Flags (see `SplitInput`): bits 0-1 pick the head limit, bits 2-3
/// the body limit. Invariants:
/// - whole, in the chosen pieces and byte by byte, the input yields the same parts, the same
///   error and leaves the same bytes unconsumed;
/// - parts follow the grammar (head, body?, end)*; a length-framed body has exactly its length,
///   and no body exceeds the body limit;
/// - a head written back out parses to the same head;
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
    checkGrammar(whole.parts, limits: limits)
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

func checkGrammar(_ parts: [HTTPRequestPart], limits: HTTPParserLimits) {
    var currentHead: HTTPRequestHead?
    var bodyLength = 0
    for part in parts {
        switch part {
        case .head(let head):
            invariant(currentHead == nil, "a head inside a message: \(parts)")
            currentHead = head
            bodyLength = 0
            checkRoundTrip(head)
        case .body(let bytes):
            invariant(currentHead != nil, "a body outside a message: \(parts)")
            bodyLength += bytes.count
            invariant(bodyLength <= limits.maxBodyBytes, "a body of \(bodyLength) bytes over the limit \(limits.maxBodyBytes)")
        case .end:
            guard let head = currentHead else {
                invariant(false, "an end outside a message: \(parts)")
                return
            }
            let framing = try? head.headers.requestFraming(maxBodyBytes: limits.maxBodyBytes)
            switch framing {
            case .none?: invariant(bodyLength == 0, "a body of \(bodyLength) bytes without framing")
            case .length(let length)?: invariant(bodyLength == length, "a body of \(bodyLength) bytes, declared \(length)")
            case .chunked?, .untilClose?: break
            case nil: invariant(false, "a request was parsed whose framing is refused: \(head)")
            }
            currentHead = nil
        }
    }
}

func checkRoundTrip(_ head: HTTPRequestHead) {
    var written: [UInt8] = []
    head.write(into: &written)
    let reparsed = written.withUnsafeBytes { bytes in
        Result { () throws(HTTPParseError) -> HTTPRequestHead in try HTTPRequestHead.parse(bytes) }
    }
    invariant(reparsed == .success(head), "\(head) was written as \(shown(written)) and read back as \(reparsed)")
}
