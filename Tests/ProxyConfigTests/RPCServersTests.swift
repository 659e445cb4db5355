import Endpoints
import Testing
@testable import ProxyConfig

@Suite struct RPCServersTests {
    @Test(arguments: [
        (["-ngl", "99", "--rpc", "10.0.0.2:50052,10.0.0.3:50052"], ["10.0.0.2:50052", "10.0.0.3:50052"]),
        (["--rpc=gpu-a.local:1"], ["gpu-a.local:1"]),
        (["--rpc", "[::1]:50052"], ["[::1]:50052"]),
        (["--rpc", "a:1", "--rpc", "b:2"], ["b:2"]),  // llama-server keeps the last one
        (["--rpc", "a:1,a:1,b:65535"], ["a:1", "b:65535"]),  // each once, in order
        (["-m", "x.gguf", "--rpc-other", "x"], []),
        ([], []),
    ])
    func listsTheServersOfTheLastRPCFlag(arguments: [String], expected: [String]) throws {
        #expect(try RPCServers.list(in: arguments).map(\.description) == expected)
    }

    @Test(arguments: [
        (["--rpc"], "--rpc needs a value"),
        (["--rpc", "hostonly"], "--rpc entry \"hostonly\": expected host:port"),
        (["--rpc", ":50052"], "--rpc entry \":50052\": expected host:port, with a host"),
        (["--rpc", "a:0"], "--rpc entry \"a:0\": the port must be a number from 1 to 65535"),
        (["--rpc", "a:65536"], "--rpc entry \"a:65536\": the port must be a number from 1 to 65535"),
        (["--rpc", "a:port"], "--rpc entry \"a:port\": the port must be a number from 1 to 65535"),
        (["--rpc", "a:1,"], "--rpc entry \"\": expected host:port"),
        (["--rpc", "a:1, b:2"], "--rpc entry \" b:2\": expected host:port, with a host"),
        (["--rpc=[::1:5"], "--rpc entry \"[::1:5\": expected host:port, with a host"),
    ])
    func refusesWhatLlamaServerCouldNotUse(arguments: [String], message: String) {
        #expect(throws: RPCServerAddressError.self) { try RPCServers.list(in: arguments) }
        do {
            _ = try RPCServers.list(in: arguments)
            Issue.record("\(arguments) should be refused")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func anIPv6HostIsKeptWithoutItsBrackets() throws {
        #expect(try RPCServers.parse("[fe80::1]:7") == HostPort(host: "fe80::1", port: 7))
    }
}
