import Glibc
import Testing
@testable import ProxyPool

@Suite struct CommandPlaceholdersTests {
    @Test func expandsTheGivenNamesAndLeavesOthers() {
        let values = ["PORT": "8123", "MODEL_ID": "qwen"]
        #expect(CommandPlaceholders.expand("--port=${PORT}", values) == "--port=8123")
        #expect(CommandPlaceholders.expand("${MODEL_ID}-${PORT}-${MODEL_ID}", values) == "qwen-8123-qwen")
        #expect(CommandPlaceholders.expand("${SOCKET}", values) == "${SOCKET}")
        #expect(CommandPlaceholders.expand("plain $PORT {PORT}", values) == "plain $PORT {PORT}")
        #expect(CommandPlaceholders.expand("open ${PORT", values) == "open ${PORT")
        #expect(CommandPlaceholders.expand("${PORT}${", values) == "8123${")
        #expect(CommandPlaceholders.expand("", values) == "")
    }

    @Test func aValueIsNotExpandedAgain() {
        #expect(CommandPlaceholders.expand("${MODEL_PATH}", ["MODEL_PATH": "/m/${PORT}.gguf", "PORT": "1"]) == "/m/${PORT}.gguf")
    }

    @Test func namesAreListedInOrder() {
        #expect(CommandPlaceholders.names(in: "a${PORT}b${MODEL_ID}${PORT}") == ["PORT", "MODEL_ID", "PORT"])
        #expect(CommandPlaceholders.names(in: "none") == [])
    }

    @Test func theCommandListensWhereItsArgvSays() {
        #expect(UpstreamCommand(argv: ["s", "--port", "${PORT}"]).listening == .tcpPort)
        #expect(UpstreamCommand(argv: ["s", "--listen=127.0.0.1:${PORT}"]).listening == .tcpPort)
        #expect(UpstreamCommand(argv: ["s", "--socket", "${SOCKET}"]).listening == .unixSocket)
    }

    @Test func expandsPortOrSocketInArgvAndEnvironment() {
        let command = UpstreamCommand(argv: ["s", "--port", "${PORT}"], environment: ["LISTEN": ":${PORT}", "KEEP": "${SOCKET}"])
        let tcp = command.expanded(for: .tcp(host: "127.0.0.1", port: 4711))
        #expect(tcp.argv == ["s", "--port", "4711"])
        #expect(tcp.environment == ["LISTEN": ":4711", "KEEP": "${SOCKET}"])
        let unix = UpstreamCommand(argv: ["s", "${SOCKET}"]).expanded(for: .unixSocket(path: "/run/x-1.sock"))
        #expect(unix.argv == ["s", "/run/x-1.sock"])
    }

    @Test func aFreeLoopbackPortCanBeBound() throws {
        let port = try #require(LoopbackPort.free())
        #expect(port > 0 && port < 65536)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
    }
}
