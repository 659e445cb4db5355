/// Fuzzes the request-body scanner (`JSONScanner.scanRequestBody`, `scanLayout`) against the tree
/// parser (`JSONDocumentParser`), an independent implementation of the same grammar. Invariants:
/// - both accept the same documents, except where their documented rules differ: the scanner
///   caps nesting at `JSONScanner.maximumDepth` containers and accepts lone surrogate escapes,
///   which the parser refuses;
/// - `scanRequestBody` and `scanLayout` agree with each other, and with the tree, on the kind of
///   the top-level value, on `model` (the last top-level string member), on `stream` and on
///   where the last top-level `keep_alive` value sits;
/// - every layout entry's bytes are exactly the tree's member (name and value), the brackets sit
///   where the layout says, and only whitespace and one comma separate entries;
/// - an error offset lies within the document; the tree serialized again reads back the same.
func fuzzOne(_ input: [UInt8]) {
    let summary = Result { () throws(JSONScanError) -> RequestBodySummary in try JSONScanner.scanRequestBody(input) }
    let layout = Result { () throws(JSONScanError) -> TopLevelLayout in try JSONScanner.scanLayout(input) }
    let tree = Result { () throws(JSONSyntaxError) -> ParsedJSON in
        try JSONDocumentParser.parse(input, maximumDepth: treeDepthLimit)
    }
    checkScannersAgree(summary, layout, input)
    switch (layout, tree) {
    case (.success(let layout), .success(let tree)):
        checkLayout(layout, matches: tree, in: input)
        checkSummary(summary, matches: tree, in: input)
        checkRoundTrip(tree)
    case (.failure(.notAnObject), .success(let tree)):
        invariant(!tree.isContainer, "the scanner called \(shown(input)) a scalar, the parser read \(tree)")
        checkRoundTrip(tree)
    case (.failure(.tooDeep), .success(let tree)):
        invariant(tree.containerDepth > JSONScanner.maximumDepth,
                  "the scanner called \(tree.containerDepth) levels too deep: \(shown(input))")
    case (.failure(.tooDeep), .failure):
        break
    case (.failure(.invalid(let offset, let reason)), .success):
        invariant(false, "only the parser accepts \(shown(input)) (scanner: \(reason) at \(offset))")
    case (.success, .failure(let error)), (.failure(.notAnObject), .failure(let error)):
        invariant(error.reason == loneSurrogateReason, "only the scanner accepts \(shown(input)) (parser: \(error))")
    case (.failure(.invalid(let offset, _)), .failure):
        invariant(offset >= 0 && offset <= input.count, "error offset \(offset) outside \(input.count) bytes")
    }
}

/// Deep enough that the scanner's own cap always bites first, shallow enough for the parser's
/// recursion under AddressSanitizer.
let treeDepthLimit = JSONScanner.maximumDepth + 2
let loneSurrogateReason = "unpaired surrogate in \\u escape"

func checkScannersAgree(_ summary: Result<RequestBodySummary, JSONScanError>,
                        _ layout: Result<TopLevelLayout, JSONScanError>, _ input: [UInt8]) {
    switch (summary, layout) {
    case (.success, .success(let layout)):
        invariant(layout.isObject, "scanRequestBody accepted a top-level array: \(shown(input))")
    case (.failure(.notAnObject), .success(let layout)):
        invariant(!layout.isObject, "scanRequestBody refused a top-level object: \(shown(input))")
    case (.failure(let first), .failure(let second)):
        invariant(first == second, "scanRequestBody: \(first), scanLayout: \(second) for \(shown(input))")
    default:
        invariant(false, "scanRequestBody: \(summary), scanLayout: \(layout) for \(shown(input))")
    }
}

func checkLayout(_ layout: TopLevelLayout, matches tree: ParsedJSON, in input: [UInt8]) {
    let opening = input[layout.openingBracket]
    let closing = input[layout.closingBracket]
    invariant(layout.isObject ? (opening, closing) == (0x7B, 0x7D) : (opening, closing) == (0x5B, 0x5D),
              "brackets \(opening), \(closing) at \(layout.openingBracket), \(layout.closingBracket)")
    let expected: [(String?, ParsedJSON)]
    switch tree {
    case .object(let members): expected = members.map { ($0.0, $0.1) }
    case .array(let elements): expected = elements.map { (nil, $0) }
    default:
        invariant(false, "a layout for the scalar \(tree)")
        return
    }
    invariant(layout.entries.count == expected.count, "\(layout.entries.count) entries, the tree has \(expected.count)")
    var previousEnd = layout.openingBracket + 1
    for (entry, (name, value)) in zip(layout.entries, expected) {
        invariant(entry.name == name, "entry named \(String(describing: entry.name)), the tree says \(String(describing: name))")
        let separator = input[previousEnd..<entry.start]
        let expectedCommas = previousEnd == layout.openingBracket + 1 ? 0 : 1
        invariant(separator.count { $0 == UInt8(ascii: ",") } == expectedCommas
                  && separator.allSatisfy { [0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ",")].contains($0) },
                  "entries separated by \(shown(separator))")
        if layout.isObject {
            invariant(input[entry.start] == UInt8(ascii: "\""), "a member name starts with \(input[entry.start])")
        } else {
            invariant(entry.start == entry.valueRange.lowerBound, "an element starts before its value")
        }
        let valueBytes = Array(input[entry.valueRange])
        let reread = try? JSONDocumentParser.parse(valueBytes, maximumDepth: treeDepthLimit)
        invariant(reread == value, "entry value \(shown(valueBytes)) reads as \(String(describing: reread)), the tree has \(value)")
        previousEnd = entry.valueRange.upperBound
    }
    let tail = input[previousEnd..<layout.closingBracket]
    invariant(tail.allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }, "after the last entry: \(shown(tail))")
}

func checkSummary(_ summary: Result<RequestBodySummary, JSONScanError>, matches tree: ParsedJSON, in input: [UInt8]) {
    guard case .object(let members) = tree else { return }
    guard case .success(let summary) = summary else {
        invariant(false, "scanRequestBody refused an object the parser read: \(summary)")
        return
    }
    var model: String?
    var stream: Bool?
    var keepAlive: ParsedJSON?
    for (name, value) in members {
        if name == "model" { if case .string(let text) = value { model = text } else { model = nil } }
        if name == "stream" { if case .bool(let flag) = value { stream = flag } else { stream = nil } }
        if name == "keep_alive" { keepAlive = value }
    }
    checkKeepAlive(summary.keepAliveValueRange, matches: keepAlive, in: input)
    invariant(summary.model == model, "model \(String(describing: summary.model)), the tree's last is \(String(describing: model))")
    invariant(summary.stream == stream, "stream \(String(describing: summary.stream)), the tree's last is \(String(describing: stream))")
    invariant((summary.modelValueRange == nil) == (model == nil), "model range \(String(describing: summary.modelValueRange))")
    if let range = summary.modelValueRange {
        let token = try? JSONDocumentParser.parse(Array(input[range]))
        invariant(token == .string(model ?? ""), "the model range holds \(shown(input[range]))")
    }
}

/// The keep_alive range holds the tree's last top-level `keep_alive` value (for a container, its
/// opening bracket alone), and is absent when the tree has none.
func checkKeepAlive(_ range: Range<Int>?, matches value: ParsedJSON?, in input: [UInt8]) {
    invariant((range == nil) == (value == nil), "keep_alive range \(String(describing: range)) for \(String(describing: value))")
    guard let range, let value else { return }
    if value.isContainer {
        invariant(range.count == 1 && (input[range.lowerBound] == UInt8(ascii: "{") || input[range.lowerBound] == UInt8(ascii: "[")),
                  "the keep_alive range of a container holds \(shown(input[range]))")
    } else {
        invariant((try? JSONDocumentParser.parse(Array(input[range]))) == value, "the keep_alive range holds \(shown(input[range]))")
    }
}

func checkRoundTrip(_ tree: ParsedJSON) {
    let written = tree.serialized()
    let reread = try? JSONDocumentParser.parse(written, maximumDepth: treeDepthLimit)
    invariant(reread == tree, "\(tree) was written as \(shown(written)) and read back as \(String(describing: reread))")
    invariant((try? JSONScanner.scanLayout(written)) != nil || !tree.isContainer, "the scanner refuses written \(shown(written))")
}

extension ParsedJSON {
    var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    /// How many containers deep the deepest value sits (a scalar: 0, `[[1]]`: 2).
    var containerDepth: Int {
        switch self {
        case .array(let elements): 1 + (elements.map(\.containerDepth).max() ?? 0)
        case .object(let members): 1 + (members.map(\.1.containerDepth).max() ?? 0)
        default: 0
        }
    }
}
