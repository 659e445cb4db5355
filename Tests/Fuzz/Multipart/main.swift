/// Fuzzes `MultipartFieldScanner` (and `HeaderParameters`, through it). Layout: the `SplitInput`
/// header, one settings byte (bits 0-1 pick the part-header limit, bits 2-3 the value limit),
/// then the boundary up to the first NUL byte (without one, the boundary is `XyZ` and the whole
/// rest is the body), then the body. Invariants:
/// - whole, in the chosen pieces and byte by byte, the body gives the same outcome (value,
///   absence or error);
/// - a found value is within the value limit, does not hold CRLF `--boundary`, and the body holds
///   it followed by CRLF `--boundary`;
/// - a found value, put alone into a fresh form with the same boundary, is found again unchanged;
/// - bytes after a decided outcome change nothing.
func fuzzOne(_ input: [UInt8]) {
    var split = SplitInput(input)
    let settings = split.takeSettingsByte()
    let headerLimit = [4096, 16, 64, 300][Int(settings & 3)]
    let valueLimit = [4096, 0, 8, 100][Int((settings >> 2) & 3)]
    let boundary: [UInt8]
    let body: ArraySlice<UInt8>
    if let separator = split.message.firstIndex(of: 0), separator - split.message.startIndex <= MultipartBoundary.maxLength {
        boundary = Array(split.message[..<separator])
        body = split.message[(separator + 1)...]
    } else {
        boundary = Array("XyZ".utf8)
        body = split.message
    }
    guard !boundary.isEmpty, !boundary.contains(0x0D), !boundary.contains(0x0A) else { return }
    let scan = { (pieces: [ArraySlice<UInt8>]) in
        scanPieces(pieces, boundary: boundary, headerLimit: headerLimit, valueLimit: valueLimit)
    }
    let whole = scan([body])
    let chosen = scan(chunks(body, lengths: split.pieceLengths.isEmpty ? [max(1, body.count / 2)] : split.pieceLengths))
    invariant(whole == chosen, "whole: \(whole)\nin pieces \(split.pieceLengths): \(chosen)")
    let byteByByte = scan(body.indices.map { body[$0...$0] })
    invariant(whole == byteByByte, "whole: \(whole)\nbyte by byte: \(byteByByte)")
    guard case .success(.found(let value)) = whole else { return }
    invariant(value.count <= valueLimit, "a value of \(value.count) bytes over the limit \(valueLimit)")
    let delimiter = Array("\r\n--".utf8) + boundary
    invariant(contains(Array(body), value + delimiter), "the body does not hold the value followed by the delimiter")
    invariant(!contains(value, delimiter), "the value \(shown(value)) holds the delimiter")
    let fresh = Array("--".utf8) + boundary + Array("\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n".utf8)
        + value + delimiter + Array("--".utf8)
    let reread = scan([fresh[...]])
    // The fresh form's own headers may exceed a tiny header limit; otherwise the value comes back.
    if case .failure(.partHeaderTooLong) = reread { return }
    invariant(reread == Result<MultipartFieldScanner.Outcome, MultipartError>.success(.found(value)), "the value \(shown(value)) in a fresh form reads as \(reread)")
}

func scanPieces(_ pieces: [ArraySlice<UInt8>], boundary: [UInt8], headerLimit: Int, valueLimit: Int)
    -> Result<MultipartFieldScanner.Outcome, MultipartError> {
    var scanner = MultipartFieldScanner(boundary: boundary, field: "model", maxHeaderBytes: headerLimit, maxValueBytes: valueLimit)
    do throws(MultipartError) {
        for piece in pieces {
            guard try scanner.feed(piece) == .needMore else {
                // Decided: more bytes change nothing.
                let more = Array("\r\n--".utf8) + boundary + Array("\r\n\n".utf8)
                let again = try scanner.feed(more)
                invariant(again == scanner.outcome, "a decided outcome changed to \(again)")
                break
            }
        }
        return .success(try scanner.finish())
    } catch {
        return .failure(error)
    }
}

func chunks(_ bytes: ArraySlice<UInt8>, lengths: [Int]) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var next = 0
    while start < bytes.endIndex {
        let end = min(bytes.endIndex, start + lengths[next % lengths.count])
        pieces.append(bytes[start..<end])
        start = end
        next += 1
    }
    return pieces
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    if needle.isEmpty { return true }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
}
