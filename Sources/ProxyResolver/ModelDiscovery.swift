/// Finds the models in a models folder the way llama-server's router mode does:
/// - every top-level `*.gguf` is a model named after the file (projectors excepted); a top-level
///   split model counts once, by its first part;
/// - a subfolder holding one model file, or the parts of one split model, is one model named
///   after the folder, with the folder's `mmproj*.gguf` as its projector.
/// Hidden files and folders are ignored.
enum ModelDiscovery {
    struct Result {
        var models: [ResolvedModel]
        /// Subfolders that could not be read as one model, explained for the log.
        var warnings: [String]
    }

    static func discover(in listing: FolderListing) -> Result {
        var result = Result(models: [], warnings: [])
        for entry in listing.entries where !GGUFFileName(name: entry.name).isHidden {
            let path = listing.path + "/" + entry.name
            if entry.isDirectory {
                switch model(inFolder: entry, at: path) {
                case .success(let model?): result.models.append(model)
                case .success(nil): break
                case .failure(let warning): result.warnings.append(warning.message)
                }
            } else if let id = modelID(ofTopLevelFile: GGUFFileName(name: entry.name)) {
                result.models.append(ResolvedModel(id: id, ggufPath: path, origin: .discovered))
            }
        }
        return result
    }

    /// The id a top-level file is a model under, or nil when it is not a model by itself.
    private static func modelID(ofTopLevelFile file: GGUFFileName) -> String? {
        guard file.isGGUF, !file.isProjector else { return nil }
        guard let shard = file.shard else { return file.stem }
        return shard.index == 1 ? shard.base : nil
    }

    struct FolderWarning: Error { var message: String }

    /// The one model a subfolder holds; nil for a folder without GGUF files.
    private static func model(inFolder entry: FolderListing.Entry, at path: String) -> Swift.Result<ResolvedModel?, FolderWarning> {
        let files = entry.children.map(GGUFFileName.init).filter { !$0.isHidden && $0.isGGUF }
        let projectors = files.filter(\.isProjector).map(\.name).sorted()
        let weights = files.filter { !$0.isProjector }
        let firstShards = weights.filter { $0.shard?.index == 1 }.map(\.name)
        let singles = weights.filter { $0.shard == nil }.map(\.name)
        let chosen: String
        switch (firstShards.count, singles.count) {
        case (0, 0) where !weights.isEmpty:
            return .failure(FolderWarning(message: "\(path): split model without its first part (-00001-of-)"))
        case (0, 0) where !projectors.isEmpty:
            return .failure(FolderWarning(message: "\(path): only a projector, no model file"))
        case (0, 0): return .success(nil)
        case (1, 0): chosen = firstShards[0]
        case (0, 1): chosen = singles[0]
        default:
            let names = (firstShards + singles).sorted().joined(separator: ", ")
            return .failure(FolderWarning(message: "\(path): several models in one folder (\(names)); give each its own folder"))
        }
        return .success(ResolvedModel(
            id: entry.name, ggufPath: path + "/" + chosen, mmprojPath: projectors.first.map { path + "/" + $0 },
            origin: .discovered))
    }
}
