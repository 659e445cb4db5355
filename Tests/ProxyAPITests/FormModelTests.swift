import Testing
@testable import ProxyAPI

/// The `model` of a `multipart/form-data` POST, and the errors a client gets for a bad form.
@Suite struct FormModelTests {
    static let contentType = "multipart/form-data; boundary=b0"

    static func form(_ model: String?) -> [UInt8] {
        var body = "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n"
        if let model { body += "--b0\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n\(model)\r\n" }
        return Array((body + "--b0--\r\n").utf8)
    }

    @Test func theFormsModelFieldIsTheModel() throws {
        let summary = try ModelDispatcher.requestedModel(inForm: Self.form("whisper-1"), contentType: Self.contentType, limit: 1024).get()
        #expect(summary.model == "whisper-1")
        #expect(summary.stream == false)
    }

    @Test(arguments: [
        (form(nil), contentType, "missing_model", "the multipart/form-data body has no \"model\" field"),
        (form(""), contentType, "missing_model", "the form's \"model\" field is empty or not UTF-8"),
        (form("m"), "multipart/form-data", "invalid_multipart", "the multipart/form-data body cannot be read: the Content-Type has no usable boundary: no boundary parameter"),
        (form(String(repeating: "m", count: 120)), contentType, "invalid_multipart", "the multipart/form-data body cannot be read: the field's value is longer than 100 bytes"),
    ])
    func badFormsGetA400(body: [UInt8], contentType: String, code: String, message: String) {
        switch ModelDispatcher.requestedModel(inForm: body, contentType: contentType, limit: 100) {
        case .success(let summary):
            Issue.record("expected \(code), got the model \(summary.model)")
        case .failure(let error):
            #expect(error.status == 400)
            #expect(error.code == code)
            #expect(error.message == message)
        }
    }
}
