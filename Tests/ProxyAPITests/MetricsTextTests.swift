import Testing

@testable import ProxyAPI

@Suite struct MetricsTextTests {
    @Test func labelValuesEscapeBackslashQuoteAndLineFeed() {
        #expect(MetricsText.escapeLabelValue(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(MetricsText.escapeLabelValue("plain/model:Q4_K_M") == "plain/model:Q4_K_M")
        #expect(MetricsText.escapeLabelValue("ünï") == "ünï")
    }

    @Test func helpEscapesBackslashAndLineFeedButNotQuotes() {
        var out = MetricsText()
        out.family("x_total", .counter, help: "a \"b\" \\ c\nd")
        #expect(out.text == "# HELP x_total a \"b\" \\\\ c\\nd\n# TYPE x_total counter\n")
    }

    @Test func valuesAreIntegersOrShortestFloatsOrTheSpecialSpellings() {
        #expect(MetricsText.format(0) == "0")
        #expect(MetricsText.format(42) == "42")
        #expect(MetricsText.format(0.25) == "0.25")
        #expect(MetricsText.format(1e20) == "1e+20")
        #expect(MetricsText.format(.infinity) == "+Inf")
        #expect(MetricsText.format(-.infinity) == "-Inf")
        #expect(MetricsText.format(.nan) == "NaN")
    }

    @Test func samplesCarryTheirLabelsInOrder() {
        var out = MetricsText()
        out.sample("r_total", [("model", "a\"b"), ("status", "200")], UInt64(3))
        out.sample("g", [], 1.5)
        #expect(out.text == "r_total{model=\"a\\\"b\",status=\"200\"} 3\ng 1.5\n")
    }

    @Test func histogramBucketsAreCumulativeEndWithInfAndCarrySumAndCount() {
        var histogram = Histogram(bounds: [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 5, 50, 500] { histogram.observe(value) }
        var out = MetricsText()
        out.histogram("d_seconds", [("model", "m")], histogram)
        #expect(out.text == """
            d_seconds_bucket{model="m",le="0.1"} 2
            d_seconds_bucket{model="m",le="1"} 3
            d_seconds_bucket{model="m",le="10"} 4
            d_seconds_bucket{model="m",le="+Inf"} 6
            d_seconds_sum{model="m"} 555.65
            d_seconds_count{model="m"} 6

            """)
    }

    @Test func mergedHistogramsAddUp() {
        var one = Histogram(bounds: [1, 2])
        var two = Histogram(bounds: [1, 2])
        one.observe(0.5)
        two.observe(1.5)
        two.observe(3)
        one.merge(two)
        #expect(one.cumulativeBuckets.map(\.count) == [1, 2, 3])
        #expect(one.count == 3)
        #expect(one.sum == 5)
    }

    @Test func routesOutsideTheKnownOnesAreOther() {
        #expect(MetricsRoute.label(for: "/v1/chat/completions") == "/v1/chat/completions")
        #expect(MetricsRoute.label(for: "/metrics") == "/metrics")
        #expect(MetricsRoute.label(for: "/v1/chat/completions/x") == "other")
        #expect(MetricsRoute.label(for: "/random-\u{1}") == "other")
    }
}
