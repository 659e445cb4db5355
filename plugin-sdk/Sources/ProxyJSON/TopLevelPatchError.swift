/// Why a patch could not be applied; the document is then left as it was.
public struct TopLevelPatchError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
