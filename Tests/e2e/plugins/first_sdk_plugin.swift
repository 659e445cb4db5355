// A Swift plugin as the SDK before the toolchain field built it: its descriptor ends before
// `toolchain` and its agent before `response_hook` (the sizes it reports are those of the first
// layouts), so the host can only tell which Swift linked it from the library's `.comment`.
// Built by Tests/e2e/test_first_sdk_plugins.py with `swiftc -emit-library`.
import Glibc
import LlamaSmartProxyPluginABI

private func reply(_ text: String, into outcome: UnsafeMutablePointer<lsp_outcome>) {
    outcome.pointee.kind = Int32(LSP_OUTCOME_REPLY.rawValue)
    outcome.pointee.text = strdup(text)
    outcome.pointee.text_length = text.utf8.count
}

private let registerAgents: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<lsp_host_api>?) -> Int32 = { _, host in
    guard let host else { return 1 }
    var agent = lsp_agent()
    agent.size = MemoryLayout<lsp_agent>.offset(of: \lsp_agent.response_hook)!
    agent.handle = { _, invocation, outcome in
        guard let invocation, let outcome else { return }
        // A Swift string and a Swift array on the host's runtime: only the same toolchain fits.
        let words = String(cString: invocation.pointee.arguments).split(separator: " ").map(String.init)
        reply("first SDK, \(words.count) word(s): " + words.reversed().joined(separator: " "), into: outcome)
    }
    agent.release = { _, buffer in free(buffer) }
    return "first-sdk".withCString { command in
        "A Swift plugin of the first SDK.".withCString { summary in
            "/first-sdk <words>".withCString { usage in
                agent.command = command
                agent.summary = summary
                agent.usage = usage
                return host.pointee.register_agent(host.pointee.host_context, &agent)
            }
        }
    }
}

private let descriptor: UnsafeMutablePointer<lsp_plugin_descriptor> = {
    let pointer = UnsafeMutablePointer<lsp_plugin_descriptor>.allocate(capacity: 1)
    pointer.initialize(to: lsp_plugin_descriptor())
    pointer.pointee.abi_version = LSP_PLUGIN_ABI_VERSION
    pointer.pointee.size = UInt32(MemoryLayout<lsp_plugin_descriptor>.offset(of: \lsp_plugin_descriptor.toolchain)!)
    pointer.pointee.name = UnsafePointer(strdup("first-sdk"))
    pointer.pointee.register_agents = registerAgents
    return pointer
}()

@_cdecl("llama_smart_proxy_plugin_entry")
public func entry() -> UnsafeRawPointer {
    UnsafeRawPointer(descriptor)
}
