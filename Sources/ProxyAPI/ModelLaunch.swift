import ProxyJSON
import ProxyPool

/// How to start a model, how many of its requests the pool lets through at once, and what a
/// streaming request hears while it waits for the model's load.
///
/// llama-server (cpp-httplib) serves each keep-alive connection on one of its HTTP threads, and
/// generates for at most `--parallel` requests at once. The pool lets two requests per slot
/// through (its `concurrencyLimit`), one being generated and one queued behind it, so a slot
/// never idles for a proxy round trip between requests; further requests wait in the model's
/// queue in the pool, in order, bounded by `queue_seconds`. Unless the arguments say otherwise,
/// the child gets enough HTTP threads for that plus two (health checks, /slots).
///
/// The scheduler decides where a model runs and counts its memory; llama-server's own fitting
/// (`--fit on`, its default) would shrink the context or the offloaded layers to what happens to
/// be free next to other models. So a child gets `--fit off` (the same context and layers
/// wherever it lands) unless its arguments choose fitting themselves (`--fit`, `--fit-target`,
/// `--fit-ctx`).
///
/// A model with a `cmd` gets none of this: its command line is the operator's, and the pool lets
/// any number of its requests through at once.
struct ModelLaunch: Sendable {
    static let defaultSlots = 4  // llama-server's own default for --parallel
    let spec: LaunchSpec
    /// What a streaming request hears while it waits for this model's load.
    let notices: LoadingNotices
    /// What its `filters` change in each request to it (empty: the body goes as it came).
    let requestChanges: [TopLevelPatch.Change]
    /// The same for each variant id, by the variant's name (its members on top of the filters).
    let variantChanges: [String: [TopLevelPatch.Change]]
    /// Set for a model served at URLs (`RemotePool`): the pool and `spec` play no part then.
    let remote: RemoteUpstream?
    /// The command of the agent its client requests go to first (`models.ID.agent`).
    let agentCommand: String?
    /// The response hook the answers to its client requests go through (`models.ID.response_hook`).
    let responseHook: String?

    init(spec: LaunchSpec, notices: LoadingNotices = LoadingNotices(interval: nil, asReasoning: false),
         requestChanges: [TopLevelPatch.Change] = [], variantChanges: [String: [TopLevelPatch.Change]] = [:],
         remote: RemoteUpstream? = nil, agentCommand: String? = nil, responseHook: String? = nil) {
        self.responseHook = responseHook
        self.remote = remote
        self.agentCommand = agentCommand
        self.notices = notices
        self.requestChanges = requestChanges
        self.variantChanges = variantChanges
        guard spec.command == nil else {
            // Any other server: its own concurrency, arguments and fitting; the pool limits nothing.
            var spec = spec
            spec.concurrencyLimit = .max
            self.spec = spec
            return
        }
        let arguments = spec.arguments
        let slots = Self.value(of: ["-np", "--parallel"], in: arguments).flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultSlots
        var limit = 2 * slots
        var spec = spec
        if let threads = Self.value(of: ["--threads-http"], in: arguments), threads > 0 {
            limit = min(limit, max(1, threads - 2))
        } else {
            spec.arguments += ["--threads-http", String(limit + 2)]
        }
        spec.concurrencyLimit = limit
        if !arguments.contains(where: Self.choosesFitting) { spec.arguments += ["--fit", "off"] }
        self.spec = spec
    }

    /// The changes for a request that named the model plainly (`variant` nil) or as a variant id.
    func requestChanges(variant: String?) -> [TopLevelPatch.Change] {
        variant.flatMap { variantChanges[$0] } ?? requestChanges
    }

    static let fitFlags: Set<String> = ["-fit", "--fit", "-fitt", "--fit-target", "-fitc", "--fit-ctx"]

    static func choosesFitting(_ argument: String) -> Bool {
        fitFlags.contains(String(argument.prefix { $0 != "=" }))
    }

    /// The integer after the last of `names` in `arguments`.
    private static func value(of names: Set<String>, in arguments: [String]) -> Int? {
        var found: Int?
        for (index, argument) in arguments.enumerated().dropLast() where names.contains(argument) {
            found = Int(arguments[index + 1])
        }
        return found
    }
}
