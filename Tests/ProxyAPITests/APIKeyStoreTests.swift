import Testing

@testable import ProxyAPI

@Suite struct APIKeyStoreTests {
    let store = APIKeyStore(["sk-alpha-123", "sk-beta-4567", String(repeating: "z", count: 200)])

    @Test func everyStoredKeyMatches() {
        #expect(store.contains("sk-alpha-123"))
        #expect(store.contains("sk-beta-4567"))
        #expect(store.contains(String(repeating: "z", count: 200)[...]))
    }

    @Test(arguments: [
        "", "sk-alpha-12", "sk-alpha-1234", "sk-alpha-124", "SK-ALPHA-123", "sk-alpha-123\0", "\0",
        String(repeating: "z", count: 199), String(repeating: "z", count: 201), String(repeating: "z", count: 5000),
    ])
    func anythingElseDoesNot(candidate: String) {
        #expect(!store.contains(candidate[...]))
    }

    @Test func aPrefixPaddedWithZeroBytesDoesNotMatch() {
        // The keys are zero-padded internally; a candidate with the padding spelled out is still wrong.
        let padded = "sk-alpha-123" + String(repeating: "\0", count: 52)
        #expect(!store.contains(padded[...]))
    }

    @Test func anEmptyStoreMatchesNothing() {
        let empty = APIKeyStore([])
        #expect(empty.isEmpty)
        #expect(!empty.contains(""))
        #expect(!empty.contains("sk"))
    }
}
