/// A JSON value the proxy writes itself (error bodies, `/v1/models`). Objects keep their members
/// in the order given, so responses read the way they were written.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
}
