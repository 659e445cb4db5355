public enum ProxyVersion {
    public static let current = "0.1.0"
}
