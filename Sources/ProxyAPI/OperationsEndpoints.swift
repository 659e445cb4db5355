import ProxyPool

/// What the router hands the management API, the event stream and the status page
/// (see Management/, Events/, StatusPage/).
struct OperationsEndpoints: Sendable {
    let management: ManagementEndpoint
    let status: AdminStatusEndpoint
    let events: PoolEventFeed
    /// The pool the event stream's snapshot is read from.
    let pool: ServerPool
}
