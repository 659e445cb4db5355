import Testing
import ProxyConfig
import ProxyPool
@testable import ProxyAPI

/// What the dispatcher hands the pool for a model with replicas: the hash of the conversation's start.
@Suite struct ReplicaAffinityTests {
    let replicated = LaunchSpec(modelID: "m", executable: "llama-server", arguments: [], replicas: 2)

    func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func everyTurnOfAConversationHasTheSameKeyAndAnotherConversationAnother() {
        let first = body(#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"q1"}]}"#)
        let later = body(#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"q1"},"#
            + #"{"role":"assistant","content":"a"},{"role":"user","content":"q2"}],"stream":true}"#)
        let other = body(#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"other"}]}"#)
        let key = ModelDispatcher.affinity(of: first, spec: replicated)
        #expect(key != nil)
        #expect(ModelDispatcher.affinity(of: later, spec: replicated) == key)
        #expect(ModelDispatcher.affinity(of: other, spec: replicated) != key)
    }

    @Test func aModelWithoutReplicasOrARequestWithoutAConversationHasNone() {
        let chat = body(#"{"model":"m","messages":[{"role":"user","content":"q"}]}"#)
        #expect(ModelDispatcher.affinity(of: chat, spec: LaunchSpec(modelID: "m", executable: "llama-server", arguments: [])) == nil)
        #expect(ModelDispatcher.affinity(of: body(#"{"model":"m","input":"embed"}"#), spec: replicated) == nil)
        #expect(ModelDispatcher.affinity(of: [], spec: replicated) == nil)
    }

    @Test func theConfiguredCountReachesTheLaunch() {
        var spec = LaunchSpec(modelID: "m", executable: "llama-server", arguments: [])
        var model = ConfiguredModel(id: "m", path: "/m.gguf")
        model.replicas = 3
        spec.place(model, estimate: { 0 })
        #expect(spec.replicas == 3)
        spec.place(nil, estimate: { 0 })
        #expect(spec.replicas == 1)
    }
}
