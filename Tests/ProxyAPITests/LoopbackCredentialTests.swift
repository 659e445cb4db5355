import HTTPCodec
import Testing

@testable import ProxyAPI

@Suite struct LoopbackCredentialTests {
    @Test func eachProcessGetsAFreshRandomToken() {
        let first = LoopbackCredential.random()
        let second = LoopbackCredential.random()
        #expect(first.token.count == 64)
        #expect(first.token.allSatisfy { $0.isHexDigit })
        #expect(first.token != second.token)
        #expect(!String(describing: first).contains(first.token))
    }

    @Test func onlyTheRightTokenIsAccepted() {
        let credential = LoopbackCredential.random()
        #expect(credential.isPresented(in: HTTPHeaders([("x-llama-smart-proxy-agent", credential.token)])))
        #expect(!credential.isPresented(in: HTTPHeaders([(LoopbackCredential.headerName, "1")])))
        #expect(!credential.isPresented(in: HTTPHeaders([(LoopbackCredential.headerName, "")])))
        #expect(!credential.isPresented(in: HTTPHeaders([(LoopbackCredential.headerName, String(credential.token.dropLast()))])))
        #expect(!credential.isPresented(in: HTTPHeaders()))
    }
}
