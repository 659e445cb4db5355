import HTTPCodec
import ProxyConfig

/// Decides whether a request's credentials open a route. Keys are off unless configured: with
/// no client keys client routes are open; admin routes need an admin key when admin keys are
/// configured, else a client key when those are, else nothing. An admin key opens every route.
/// ("Configured" includes a named keys file that is empty: nobody gets in with that kind.)
struct AccessPolicy: Sendable {
    private let clientKeys: APIKeyStore
    private let adminKeys: APIKeyStore
    private let enforcesClientKeys: Bool
    private let enforcesAdminKeys: Bool

    init(_ keys: APIKeys) {
        clientKeys = APIKeyStore(keys.client)
        adminKeys = APIKeyStore(keys.admin)
        enforcesClientKeys = keys.enforcesClientKeys
        enforcesAdminKeys = keys.enforcesAdminKeys
    }

    var isEnabled: Bool { enforcesClientKeys || enforcesAdminKeys }

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
        case .client: return !enforcesClientKeys || client || admin
        case .admin: return enforcesAdminKeys ? admin : (client || !enforcesClientKeys)
        }
    }
}
