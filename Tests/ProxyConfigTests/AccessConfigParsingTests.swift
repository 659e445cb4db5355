import Testing
@testable import ProxyConfig

@Suite struct AccessConfigParsingTests {
    @Test func keysAreOffAndNoOriginIsAllowedByDefault() throws {
        let config = try FakeFileSystem().parse(#"{"llama_server": "bin/llama-server"}"#)
        #expect(config.apiKeys == APIKeys())
        #expect(config.apiKeys.isOff)
        #expect(config.corsOrigins == [])
    }

    @Test func inlineKeysAndKeyFilesAreMerged() throws {
        var fileSystem = FakeFileSystem()
        fileSystem.contents["/etc/proxy/keys/clients.txt"] = "# team A\nsk-file-1\n\n   sk-file-2  \r\n#sk-commented\n\t\n"
        fileSystem.contents["/etc/proxy/admin.keys"] = "sk-admin-file"
        let config = try fileSystem.parse("""
            {"llama_server": "bin/llama-server", "api_keys": ["sk-inline"], "api_keys_file": "keys/clients.txt",
             "admin_api_keys": ["sk-admin"], "admin_api_keys_file": "admin.keys", "cors_origins": []}
            """)
        #expect(config.apiKeys == APIKeys(
            client: ["sk-inline", "sk-file-1", "sk-file-2"], admin: ["sk-admin", "sk-admin-file"],
            clientFile: "/etc/proxy/keys/clients.txt", adminFile: "/etc/proxy/admin.keys"))
        #expect(config.corsOrigins == [])
    }

    @Test func anEmptyKeysFileStillEnforcesKeys() throws {
        var fileSystem = FakeFileSystem()
        fileSystem.contents["/etc/proxy/keys.txt"] = "# everyone revoked\n"
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server", "api_keys_file": "keys.txt", "admin_api_keys": []}"#)
        #expect(config.apiKeys.client.isEmpty)
        #expect(config.apiKeys.enforcesClientKeys)
        #expect(!config.apiKeys.enforcesAdminKeys)
        #expect(!config.apiKeys.isOff)
    }

    @Test func printingTheKeysNeverShowsThem() {
        let keys = APIKeys(client: ["sk-secret-client"], admin: ["sk-secret-admin"])
        for text in [String(describing: keys), String(reflecting: keys), "\(keys)"] {
            #expect(!text.contains("secret"))
            #expect(text.contains("client: 1"))
        }
    }

    @Test func aMissingKeysFileNamesTheKey() {
        let error = FakeFileSystem().error(#"{"llama_server": "bin/llama-server", "api_keys_file": "nope.txt"}"#)
        #expect(error == "api_keys_file: file not found: /etc/proxy/nope.txt")
    }

    @Test func aBadKeyIsRefusedWithoutQuotingIt() {
        var fileSystem = FakeFileSystem()
        fileSystem.contents["/etc/proxy/k"] = "sk-good\nsk with-space-secret\n"
        let fromFile = fileSystem.error(#"{"llama_server": "bin/llama-server", "admin_api_keys_file": "k"}"#)
        #expect(fromFile == "admin_api_keys_file: line 2: a key must be 1 to 1024 printable ASCII characters without spaces")
        let inline = fileSystem.error(#"{"llama_server": "bin/llama-server", "api_keys": ["ok", "bad\u00e9secret"]}"#)
        #expect(inline == "api_keys[1]: a key must be 1 to 1024 printable ASCII characters without spaces")
        #expect(fileSystem.error(#"{"llama_server": "bin/llama-server", "api_keys": [""]}"#)?.hasPrefix("api_keys[0]:") == true)
        #expect(fileSystem.error(#"{"llama_server": "bin/llama-server", "api_keys": "sk-one"}"#)?.hasPrefix("api_keys: expected an array of strings") == true)
    }

    @Test func anOverlongKeyIsRefused() {
        let key = String(repeating: "k", count: APIKeys.maxKeyLength + 1)
        #expect(FakeFileSystem().error(#"{"llama_server": "bin/llama-server", "api_keys": ["\#(key)"]}"#)?.hasPrefix("api_keys[0]:") == true)
        #expect(APIKeys.isValidKey(String(repeating: "k", count: APIKeys.maxKeyLength)))
    }

    @Test(arguments: ["*", "https://chat.example.com", "http://localhost:5173", "app+x://a.b"])
    func validOrigins(origin: String) throws {
        let config = try FakeFileSystem().parse(#"{"llama_server": "bin/llama-server", "cors_origins": ["\#(origin)"]}"#)
        #expect(config.corsOrigins == [origin])
    }

    @Test(arguments: ["chat.example.com", "https://a.example/", "https://", "https://a b", "1http://a", "://a"])
    func invalidOrigins(origin: String) {
        let error = FakeFileSystem().error(#"{"llama_server": "bin/llama-server", "cors_origins": ["\#(origin)"]}"#)
        #expect(error?.hasPrefix("cors_origins[0]: expected \"*\" or an origin") == true)
    }
}
