import HTTPCodec
import ProxyConfig

/// Decides whether a request's credentials open a route. Keys are off unless configured: with
/// no client keys client routes are open; admin routes need an admin key when admin keys are
/// configured, else a client key when those are, else nothing. An admin key opens every route.
struct AccessPolicy: Sendable {
    private let clientKeys: APIKeyStore
    private let adminKeys: APIKeyStore

    init(_ keys: APIKeys) {
        clientKeys = APIKeyStore(keys.client)
        adminKeys = APIKeyStore(keys.admin)
    }

    var isEnabled: Bool { !clientKeys.isEmpty || !adminKeys.isEmpty }

    func allows(_ access: RouteAccess, headers: HTTPHeaders) -> Bool {
        guard isEnabled, access != .open else { return true }
        // Every presented key against both sets, whatever the route: the time does not tell
        // which set (or which key) matched.
        var client = false
        var admin = false
        for key in PresentedCredentials.keys(in: headers) {
            let isClient = clientKeys.contains(key)
            let isAdmin = adminKeys.contains(key)
            client = client || isClient
            admin = admin || isAdmin
        }
        switch access {
        case .open: return true
        case .client: return clientKeys.isEmpty || client || admin
        case .admin: return adminKeys.isEmpty ? (client || admin || clientKeys.isEmpty) : admin
        }
    }
}
