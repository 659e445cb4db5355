import Endpoints
import Glibc
import ProxyJSON
import ProxyPool

/// Reading a peer's own model list: `GET /v1/models` with the peer header (so it lists only its
/// own models, not its peers'), on a blocking connection of its own (off the event loops).
enum PeerListing {
    /// Marks a request from a peer: it is served with the receiving proxy's own models only,
    /// never sent on to that proxy's peers (so two proxies that peer each other never loop).
    static let header = "X-Llama-Smart-Proxy-Peer"
    /// Larger listings are refused (a peer lists models, not megabytes).
    static let maximumBytes = 16 << 20

    /// The peer's models, or why they could not be read.
    static func fetch(_ endpoint: UpstreamEndpoint, server: HostPort, authorization: String?, timeout: Double)
        -> Result<[PeerModel], PeerListingError> {
        let fd = BlockingSocket.connect(endpoint, timeout: timeout)
        guard fd >= 0 else { return .failure(PeerListingError("cannot connect")) }
        defer { close(fd) }
        let credential = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let request = "GET /v1/models HTTP/1.1\r\nHost: \(server)\r\n\(header): 1\r\n\(credential)Connection: close\r\n\r\n"
        guard BlockingSocket.sendAll(fd, Array(request.utf8)) else { return .failure(PeerListingError("cannot send")) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while response.count <= maximumBytes {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failure(PeerListingError("no complete answer within \(timeout) s")) }
            if count == 0 { break }
            response += buffer[0..<count]
        }
        return models(inResponse: response)
    }

    /// The models of a whole HTTP response (head and a `Content-Length` body) to `/v1/models`.
    static func models(inResponse response: [UInt8]) -> Result<[PeerModel], PeerListingError> {
        guard let status = HealthProbe.parseStatusCode(Array(response.prefix(12))) else {
            return .failure(PeerListingError("not an HTTP answer"))
        }
        guard status == 200 else { return .failure(PeerListingError("GET /v1/models answered \(status)")) }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = (0...max(0, response.count - 4)).first(where: { response[$0..<min($0 + 4, response.count)].elementsEqual(separator) })
        else { return .failure(PeerListingError("the answer's head does not end")) }
        return models(inBody: Array(response[(headEnd + 4)...]))
    }

    /// `{"data": [{"id", "aliases", "state", "in_flight"}, ...]}`; entries without an id are skipped.
    static func models(inBody body: [UInt8]) -> Result<[PeerModel], PeerListingError> {
        guard case .object(let root)? = try? JSONDocumentParser.parse(body),
              case .array(let entries)? = root.last(where: { $0.0 == "data" })?.1
        else { return .failure(PeerListingError("GET /v1/models did not answer a model list")) }
        var models: [PeerModel] = []
        for case .object(let members) in entries {
            func member(_ name: String) -> ParsedJSON? { members.last { $0.0 == name }?.1 }
            guard case .string(let id)? = member("id"), !id.isEmpty else { continue }
            var model = PeerModel(id: id, state: "ready")
            if case .string(let state)? = member("state") { model.state = state }
            if case .number(let text)? = member("in_flight"), let count = Int(text) { model.inFlight = count }
            if case .array(let aliases)? = member("aliases") {
                model.aliases = aliases.compactMap { if case .string(let alias) = $0 { alias } else { nil } }
            }
            models.append(model)
        }
        return .success(models)
    }
}

struct PeerListingError: Error, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
