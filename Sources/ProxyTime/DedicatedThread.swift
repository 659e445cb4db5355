import Glibc

/// Starts a detached POSIX thread of the proxy's own (not one of GCD's shared pool), so work on
/// it can neither starve nor be starved by anything else in the process.
public enum DedicatedThread {
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        final class Box: Sendable {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) {
                self.name = name
                self.body = body
            }
        }
        let box = Unmanaged.passRetained(Box(name: name, body: body))
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        precondition(status == 0, "cannot start thread \(name): \(status)")
        pthread_detach(thread)
    }
}
