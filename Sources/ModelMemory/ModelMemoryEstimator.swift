/// The memory a model will need before llama-server starts it, from its GGUF headers and the
/// arguments llama-server will get.
public enum ModelMemoryEstimator {
    /// - Parameters:
    ///   - modelFiles: the model's GGUF file (the first part of a split model: its other parts are
    ///     found by name) and any other file whose tensors it loads; the first file's metadata
    ///     describes the model.
    ///   - arguments: the llama-server arguments (`-c`, `-np`, `-ctk`, `-ctv`, `--mmproj`, ...).
    public static func estimate(modelFiles: [String], arguments: [String]) throws -> ModelMemoryEstimate {
        let parsed = try LlamaServerMemoryArguments(parsing: arguments)
        var paths: [String] = []
        for file in modelFiles + [parsed.projectorFile].compactMap({ $0 }) {
            for part in SplitModelParts.parts(of: file) where !paths.contains(part) { paths.append(part) }
        }
        guard let first = paths.first else { throw ModelMemoryError.noModelFile }
        var files: [(path: String, file: GGUFFile)] = []
        for path in paths {
            do {
                files.append((path, try GGUFFile.read(path: path)))
            } catch let error as GGUFError {
                throw ModelMemoryError.unreadableFile(path: path, error)
            }
        }
        try checkSplitCounts(files)
        let model = try ModelHyperparameters(file: files[0].file, path: first)
        return estimate(model: model, weights: files.map(\.file.tensorBytes).saturatingSum(), arguments: parsed)
    }

    /// The pure part: weights in bytes, the model's figures and the parsed arguments.
    public static func estimate(model: ModelHyperparameters, weights: UInt64, arguments: LlamaServerMemoryArguments) -> ModelMemoryEstimate {
        let layout = KVCacheLayout(arguments: arguments, trainingContext: model.trainingContext)
        let kvCache = layout.bytes(of: model, keyType: arguments.keyCacheType, valueType: arguments.valueCacheType,
                                   flashAttention: arguments.flashAttention ?? true)
        let compute = ComputeMargin.bytes(of: model, layout: layout, arguments: arguments)
        return ModelMemoryEstimate(weights: weights, kvCache: kvCache, compute: compute)
    }

    /// A split part says how many parts there are (`split.count`); it must match its name.
    private static func checkSplitCounts(_ files: [(path: String, file: GGUFFile)]) throws {
        for (path, file) in files {
            guard let split = SplitModelParts.parse(path), let count = file["split.count"]?.integer else { continue }
            guard count == split.count else {
                throw ModelMemoryError.splitMismatch(path: path, reason: "split.count is \(count) but the name says \(split.count) parts")
            }
        }
    }
}
