import Dispatch

/// Host and plugins share one Swift runtime. Its concurrency executor (libdispatch on Linux)
/// makes its own event loop (an epoll, an eventfd and a timerfd) the first time a task runs: a
/// plugin's `StreamingAgent` would make it during some request. Made at start instead, so what
/// the process holds does not change with the first streamed agent reply.
enum SwiftConcurrencyWarmUp {
    static func run() {
        let ran = DispatchSemaphore(value: 0)
        Task.detached {
            try? await Task.sleep(nanoseconds: 1)
            ran.signal()
        }
        ran.wait()
    }
}
