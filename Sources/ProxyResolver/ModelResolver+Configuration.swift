import ProxyConfig

extension ModelResolver {
    /// The resolver for a loaded configuration: its models plus what `modelsDir` holds now (read
    /// from disk, so call it again to pick up files added later).
    public init(configuration: ProxyConfiguration) {
        self.init(configured: configuration.models, listing: configuration.modelsDir.map(FolderListing.read))
    }
}
