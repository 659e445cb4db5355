import Testing
@testable import HTTPCodec

/// Byte tables of multipart bodies, each replayed whole, byte by byte and in random pieces: every
/// feeding must give the same outcome.
@Suite struct MultipartFieldScannerTests {
    enum Expected: Sendable, CustomStringConvertible {
        case value(String)
        case absent
        case error(MultipartError)

        var description: String {
            switch self {
            case .value(let text): "value \(text.debugDescription)"
            case .absent: "absent"
            case .error(let error): "error \(error)"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let body: String
        let expected: Expected
        var testDescription: String { name }
    }

    static let boundary = Array("XyZ-123".utf8)

    static let cases: [Case] = [
        Case(name: "model first", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ntiny-a\r\n--XyZ-123--\r\n",
             expected: .value("tiny-a")),
        Case(name: "model after a file part whose content looks like a boundary",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
                + "RIFF\r\n--XyZ-12\r\r\n-\r\n--XyZ-124\r\n--XyZ\r\n--XyZ-123\r\ncontent-disposition: form-data; name=model\r\n\r\nwhisper\r\n--XyZ-123--",
             expected: .value("whisper")),
        Case(name: "a long file part with CRs everywhere",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + String(repeating: "abc\rdef\n\r\n-\r\n--X", count: 400)
                + "\r\n--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nafter-the-file\r\n--XyZ-123--",
             expected: .value("after-the-file")),
        Case(name: "preamble and transport padding",
             body: "this is a preamble\r\n--XyZ-123 \t\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XyZ-123--",
             expected: .value("m")),
        Case(name: "a preamble line that only starts like the boundary",
             body: "--XyZ-12\r\n--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm2\r\n--XyZ-123--",
             expected: .value("m2")),
        Case(name: "value with CR, LF and a near delimiter",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\na\rb\nc\r\n--XyZ-12x\r\n--XyZ-123\r\n\r\n\r\n--XyZ-123--",
             expected: .value("a\rb\nc\r\n--XyZ-12x")),
        Case(name: "empty value", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n\r\n--XyZ-123--",
             expected: .value("")),
        Case(name: "the first of two model fields wins",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nfirst\r\n--XyZ-123\r\n"
                + "Content-Disposition: form-data; name=\"model\"\r\n\r\nsecond\r\n--XyZ-123--",
             expected: .value("first")),
        Case(name: "names are exact: Model and model2 are other fields",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"Model\"\r\n\r\nx\r\n--XyZ-123\r\n"
                + "Content-Disposition: form-data; name=\"model2\"\r\n\r\ny\r\n--XyZ-123\r\n"
                + "Content-Disposition: form-data; name=\"model\"\r\n\r\nz\r\n--XyZ-123--",
             expected: .value("z")),
        Case(name: "a quoted name with an escaped quote and a semicolon",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"a\\\"b;c\"\r\n\r\nx\r\n--XyZ-123\r\n"
                + "Content-Disposition: FORM-DATA ; NAME=\"model\" ; filename=\"m.txt\"\r\n\r\nq\r\n--XyZ-123--",
             expected: .value("q")),
        Case(name: "no model field", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ndata\r\n--XyZ-123--\r\nepilogue",
             expected: .absent),
        Case(name: "an attachment disposition is not a form field",
             body: "--XyZ-123\r\nContent-Disposition: attachment; name=\"model\"\r\n\r\nx\r\n--XyZ-123--", expected: .absent),
        Case(name: "no boundary at all", body: "model=tiny-a", expected: .absent),
        Case(name: "empty body", body: "", expected: .absent),
        Case(name: "body ends inside the model part", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ntiny",
             expected: .error(.truncated)),
        Case(name: "body ends inside the model part's headers", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n",
             expected: .error(.truncated)),
        Case(name: "body ends inside another part", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc",
             expected: .absent),
        Case(name: "LF-only header lines", body: "--XyZ-123\nContent-Disposition: form-data; name=\"model\"\n\nx\n--XyZ-123--",
             expected: .error(.badPartHeader("a boundary line goes on after the boundary"))),
        Case(name: "LF-only line inside the headers", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\n\r\nx",
             expected: .error(.badPartHeader("a header line ends in LF without CR"))),
        Case(name: "a header without a colon", body: "--XyZ-123\r\nContent-Disposition form-data\r\n\r\nx",
             expected: .error(.badPartHeader("a header line without \":\""))),
        Case(name: "a folded header", body: "--XyZ-123\r\nContent-Disposition: form-data;\r\n name=\"model\"\r\n\r\nx",
             expected: .error(.badPartHeader("a folded header line (RFC 7578 has none)"))),
        Case(name: "an unterminated quote", body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\r\n\r\nx",
             expected: .error(.badPartHeader("an unreadable Content-Disposition \"form-data; name=\"model\""))),
        Case(name: "a boundary followed by one dash", body: "--XyZ-123-\r\n", expected: .error(.badPartHeader("a boundary is followed by a single \"-\""))),
        Case(name: "a value over the limit",
             body: "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + String(repeating: "m", count: 65) + "\r\n--XyZ-123--",
             expected: .error(.valueTooLong(limit: 64))),
        Case(name: "headers over the limit",
             body: "--XyZ-123\r\nX-Pad: " + String(repeating: "p", count: 200) + "\r\n\r\nx\r\n--XyZ-123--",
             expected: .error(.partHeaderTooLong(limit: 128))),
    ]

    @Test(arguments: cases)
    func everyFeedingGivesTheSameOutcome(_ testCase: Case) {
        for feeding in Feeding.allCases {
            for contiguous in [true, false] {
                let outcome = Self.scan(Array(testCase.body.utf8), feeding: feeding, contiguous: contiguous)
                switch (testCase.expected, outcome) {
                case (.value(let expected), .success(.found(let value))):
                    #expect(value == Array(expected.utf8), "\(feeding)")
                case (.absent, .success(.absent)):
                    break
                case (.error(let expected), .failure(let error)):
                    #expect(error == expected, "\(feeding)")
                default:
                    Issue.record("\(testCase.name), \(feeding), contiguous \(contiguous): expected \(testCase.expected), got \(outcome)")
                }
            }
        }
    }

    @Test func bytesAfterTheValueAreNotRead() throws {
        var scanner = MultipartFieldScanner(boundary: Self.boundary, field: "model", maxHeaderBytes: 128, maxValueBytes: 64)
        let head = "--XyZ-123\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XyZ-123"
        #expect(try scanner.feed(Array(head.utf8)) == .found(Array("m".utf8)))
        // Garbage that would be an error is never looked at.
        #expect(try scanner.feed(Array("-x\n\n".utf8)) == .found(Array("m".utf8)))
        #expect(try scanner.finish() == .found(Array("m".utf8)))
    }

    @Test func anErrorIsRepeatedByEveryLaterCall() {
        var scanner = MultipartFieldScanner(boundary: Self.boundary, field: "model", maxHeaderBytes: 128, maxValueBytes: 64)
        let bad = Array("--XyZ-123\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XyZ-123--".utf8)
        let expected = MultipartError.badPartHeader("a boundary line goes on after the boundary")
        #expect(throws: expected) { try scanner.feed(bad) }
        // Bytes that would be fine on their own change nothing.
        #expect(throws: expected) { try scanner.feed(Array("\r\n--XyZ-123--".utf8)) }
        #expect(throws: expected) { try scanner.finish() }
    }

    @Test func theWholeBodyHelperReturnsNilWithoutTheField() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--".utf8)
        #expect(try MultipartFieldScanner.value(of: "model", in: body, boundary: Array("b".utf8), maxHeaderBytes: 99, maxValueBytes: 99) == nil)
        #expect(try MultipartFieldScanner.value(of: "x", in: body, boundary: Array("b".utf8), maxHeaderBytes: 99, maxValueBytes: 99) == Array("1".utf8))
    }

    /// `contiguous: false` feeds each piece as a sequence without contiguous storage (the
    /// scanner's byte-by-byte path instead of its memchr skip).
    static func scan(_ body: [UInt8], feeding: Feeding, contiguous: Bool = true) -> Result<MultipartFieldScanner.Outcome, MultipartError> {
        var scanner = MultipartFieldScanner(boundary: boundary, field: "model", maxHeaderBytes: 128, maxValueBytes: 64)
        do {
            for piece in feeding.pieces(of: body) {
                let outcome = contiguous ? try scanner.feed(piece) : try scanner.feed(piece.lazy.map { $0 })
                if outcome != .needMore { break }
            }
            return .success(try scanner.finish())
        } catch {
            return .failure(error)
        }
    }
}

@Suite struct MultipartBoundaryTests {
    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"),
        ("Multipart/Form-Data;boundary=\"a b:c\"", "a b:c"),
        ("multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
        ("multipart/form-data; boundary=\"" + String(repeating: "b", count: 70) + "\"", String(repeating: "b", count: 70)),
    ])
    func boundariesAreRead(contentType: String, boundary: String) throws {
        #expect(MultipartBoundary.isFormData(contentType: contentType))
        #expect(try MultipartBoundary.parse(contentType: contentType) == Array(boundary.utf8))
    }

    @Test(arguments: [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=" + String(repeating: "b", count: 71),
    ])
    func badBoundariesAreRefused(contentType: String) {
        #expect(throws: MultipartError.self) { try MultipartBoundary.parse(contentType: contentType) }
    }

    @Test func onlyFormDataIsFormData() {
        #expect(MultipartBoundary.isFormData(contentType: " multipart/form-data ;boundary=x"))
        #expect(!MultipartBoundary.isFormData(contentType: "multipart/mixed; boundary=x"))
        #expect(!MultipartBoundary.isFormData(contentType: "application/json"))
        #expect(!MultipartBoundary.isFormData(contentType: nil))
    }
}
