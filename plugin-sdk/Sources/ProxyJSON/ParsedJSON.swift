/// A JSON value as read from a document, for callers that must report what was written rather
/// than compute with it: numbers keep their text ("2" and "2.0" differ), objects keep their
/// members in order, duplicates included.
public indirect enum ParsedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([ParsedJSON])
    case object([(String, ParsedJSON)])
}
