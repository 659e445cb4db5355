import Glibc
import ModelMemory
import ProxyResolver
import Synchronization

/// A model's memory need before its child runs: ModelMemory's estimate from its GGUF headers and
/// the arguments the child will get (context, slots, cache types, projector). When the headers
/// cannot be read (a file llama-server would refuse as well, or a layout the estimator does not
/// know), the size of its files (every part of a split model, and its projector) plus 10 % and
/// 256 MiB. A measurement replaces either once a child ran (on a device that measures).
enum ModelMemoryFigure {
    static let fallbackMargin: UInt64 = 256 << 20

    static func bytes(for model: ResolvedModel, arguments: [String]) -> UInt64 {
        if let estimate = try? ModelMemoryEstimator.estimate(modelFiles: [model.ggufPath], arguments: arguments) {
            return estimate.total
        }
        return fallback(for: model)
    }

    static func fallback(for model: ResolvedModel) -> UInt64 {
        let files = SplitModelParts.parts(of: model.ggufPath) + (model.mmprojPath.map { [$0] } ?? [])
        let size = files.reduce(UInt64(0)) { $0 &+ fileSize($1) }
        return size + size / 10 + fallbackMargin
    }

    private static func fileSize(_ path: String) -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return UInt64(max(0, info.st_size))
    }
}
