import ProxyJSON

/// Scans `text` (as UTF-8) and returns the summary or the error, for table-driven tests.
func scanResult(_ text: String) -> Result<RequestBodySummary, JSONScanError> {
    scanResult(Array(text.utf8))
}

func scanResult(_ bytes: [UInt8]) -> Result<RequestBodySummary, JSONScanError> {
    Result { () throws(JSONScanError) -> RequestBodySummary in try JSONScanner.scanRequestBody(bytes) }
}

/// Whether the scanner judged the bytes to be well-formed JSON (an object or not).
func isWellFormed(_ bytes: [UInt8]) -> Bool {
    switch scanResult(bytes) {
    case .success: true
    case .failure(.notAnObject): true
    case .failure: false
    }
}
