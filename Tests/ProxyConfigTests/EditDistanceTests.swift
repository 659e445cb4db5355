import Testing
import ProxyConfig

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("abc", "abc", 0), ("kitten", "sitting", 3),
        ("load_secs", "load_seconds", 3), ("flaw", "lawn", 2), ("日本", "日本語", 1), ("Qwen", "qwen", 1),
    ])
    func countsEdits(_ source: String, _ target: String, _ distance: Int) {
        #expect(EditDistance.between(source, target) == distance)
        #expect(EditDistance.between(target, source) == distance)
    }

    @Test func plausibleTyposScaleWithLength() {
        #expect(EditDistance.isPlausibleTypo("hots", of: "host"))
        #expect(EditDistance.isPlausibleTypo("PORT", of: "port"))
        #expect(!EditDistance.isPlausibleTypo("abc", of: "xyz"))
        #expect(EditDistance.isPlausibleTypo("shutdown_grace", of: "shutdown_grace_seconds"))
        #expect(!EditDistance.isPlausibleTypo("max", of: "max_loaded"))  // too short to count as a prefix
        #expect(!EditDistance.isPlausibleTypo("timeouts", of: "limits"))
        #expect(EditDistance.isPlausibleTypo("upstream_idle_secnods", of: "upstream_idle_seconds"))
    }
}
