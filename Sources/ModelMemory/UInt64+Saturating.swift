/// Sums and products of sizes that stop at UInt64.max instead of trapping: a corrupt header or
/// absurd arguments give an estimate that fits nowhere, never a crash.
extension UInt64 {
    func saturatingMultiplied(by other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }

    func saturatingAdding(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

extension Sequence<UInt64> {
    func saturatingSum() -> UInt64 { reduce(0) { $0.saturatingAdding($1) } }
}
