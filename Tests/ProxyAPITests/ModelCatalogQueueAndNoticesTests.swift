import ProxyConfig
import ProxyResolver
import Testing

@testable import ProxyAPI

/// Each model's launch carries its queue bound and loading notices: the top-level values, a
/// configured model's own, `0` meaning none.
@Suite struct ModelCatalogQueueAndNoticesTests {
    func launches(_ configuration: ProxyConfiguration) -> [String: ModelLaunch] {
        let catalog = ModelCatalog(
            configuration: configuration,
            listFolder: { FolderListing(path: $0, entries: [.file("found.gguf")]) }, now: { 0 })
        return catalog.snapshot.launches
    }

    @Test func theDefaultsApplyToEveryModel() {
        let all = launches(ProxyConfiguration(
            llamaServer: "/bin/true", modelsDir: "/models", models: [ConfiguredModel(id: "own", path: "/own.gguf")]))
        for id in ["own", "found"] {
            #expect(all[id]?.spec.queueLimit == 1000)
            #expect(all[id]?.notices == LoadingNotices(interval: 5, asReasoning: false))
        }
    }

    @Test func aConfiguredModelOverridesTheTopLevelValues() {
        let all = launches(ProxyConfiguration(
            llamaServer: "/bin/true", modelsDir: "/models", queueMax: 0, loadingCommentSeconds: 0.5, sendLoadingState: true,
            models: [ConfiguredModel(id: "own", path: "/own.gguf", queueMax: 7, sendLoadingState: false)]))
        #expect(all["own"]?.spec.queueLimit == 7)
        #expect(all["own"]?.notices == LoadingNotices(interval: 0.5, asReasoning: false))
        #expect(all["found"]?.spec.queueLimit == nil)  // 0: no limit
        #expect(all["found"]?.notices == LoadingNotices(interval: 0.5, asReasoning: true))
    }

    @Test func zeroSecondsTurnsNoticesOffAndAModelsZeroQueueMaxMeansNoLimit() {
        let all = launches(ProxyConfiguration(
            llamaServer: "/bin/true", loadingCommentSeconds: 0,
            models: [ConfiguredModel(id: "own", path: "/own.gguf", queueMax: 0)]))
        #expect(all["own"]?.spec.queueLimit == nil)
        #expect(all["own"]?.notices.interval == nil)
    }
}
