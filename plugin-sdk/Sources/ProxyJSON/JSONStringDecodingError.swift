/// Why a string literal could not be decoded, and the offset where that became clear; each
/// caller words it its own way.
struct JSONStringDecodingError: Error, Equatable {
    enum Problem: Equatable {
        case unterminated
        case controlCharacter
        case invalidEscape
        case expectedHexDigits
        case unpairedSurrogate
        case invalidUTF8
    }

    var problem: Problem
    var offset: Int

    init(_ problem: Problem, at offset: Int) {
        self.problem = problem
        self.offset = offset
    }
}
