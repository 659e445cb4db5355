import Foundation
import Glibc
import ProxyAPI
import ProxyConfig

// Signals are taken synchronously by this thread (sigwait), so they are blocked before any other
// thread starts; children get a clean mask in CSystem's spawn.
var handled = sigset_t()
sigemptyset(&handled)
for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&handled, signal) }
pthread_sigmask(SIG_BLOCK, &handled, nil)
signal(SIGPIPE, SIG_IGN)

// Each client connection costs a descriptor: take the hard limit, as nginx's
// worker_rlimit_nofile would, so thousands of idle keep-alive clients do not starve the rest.
var descriptorLimit = rlimit()
if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &descriptorLimit) == 0 && descriptorLimit.rlim_cur < descriptorLimit.rlim_max {
    descriptorLimit.rlim_cur = descriptorLimit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &descriptorLimit)
}

let logger = Logger()
// Log lines leave from a writer thread; every exit (normal, or a configuration error) first
// writes what is still buffered.
atexit { Logger.flushStandardError() }
let action: CommandLineAction
do {
    action = try ProxyConfig.CommandLine.parse(Array(Swift.CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("llama-smart-proxy: \(error)\n\(ProxyConfig.CommandLine.usage)\n".utf8))
    exit(2)
}

let options: CommandLineOptions
switch action {
case .help:
    print(ProxyConfig.CommandLine.usage)
    exit(0)
case .version(let configPath):
    print(ProxyVersion.report(configPath: configPath))
    exit(0)
case .run(let parsed):
    options = parsed
}

func loadConfiguration() throws(ConfigError) -> ProxyConfiguration {
    try ProxyConfiguration.load(path: options.configPath).applying(options)
}

let application: ProxyApplication
do {
    application = try ProxyApplication(configuration: try loadConfiguration(), logger: logger)
} catch let error as ConfigError {
    logger.flush()  // lines logged while starting come before the error
    FileHandle.standardError.write(Data("llama-smart-proxy: invalid configuration \(options.configPath): \(error)\n".utf8))
    exit(2)
} catch {
    logger.flush()
    FileHandle.standardError.write(Data("llama-smart-proxy: \(error)\n".utf8))
    exit(1)
}

// The main thread waits for signals: SIGHUP reloads, SIGINT/SIGTERM stop gracefully, and a
// second one during the grace period stops at once.
while true {
    var received: Int32 = 0
    guard sigwait(&handled, &received) == 0 else { continue }
    if received == SIGHUP {
        do {
            application.reload(try loadConfiguration())
        } catch {
            application.logger.log("reload failed, keeping the running configuration: \(error)")
        }
        continue
    }
    application.logger.log("received \(received == SIGINT ? "SIGINT" : "SIGTERM")")
    application.shutdown(interrupted: {
        var pending = sigset_t()
        sigpending(&pending)
        return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1
    })
    exit(0)
}
