import Testing
@testable import ModelMemory

@Suite struct LlamaServerMemoryArgumentsTests {
    @Test func readsTheArgumentsThatSizeMemory() throws {
        let arguments = try LlamaServerMemoryArguments(parsing: [
            "--port", "0", "-c", "8192", "-np", "2", "-ctk", "q8_0", "--cache-type-v", "q4_0", "-kvu",
            "-ub", "256", "--batch-size", "1024", "-fa", "off", "--mmproj", "/m/proj.gguf", "--jinja",
        ])
        #expect(arguments.contextSize == 8192)
        #expect(arguments.parallel == 2)
        #expect(arguments.keyCacheType == .q8_0)
        #expect(arguments.valueCacheType == .q4_0)
        #expect(arguments.unifiedCache == true)
        #expect(arguments.microBatchSize == 256)
        #expect(arguments.batchSize == 1024)
        #expect(arguments.flashAttention == false)
        #expect(arguments.projectorFile == "/m/proj.gguf")
    }

    @Test func defaultsAreLlamaServers() throws {
        let arguments = try LlamaServerMemoryArguments(parsing: [])
        #expect(arguments == LlamaServerMemoryArguments())
        #expect(arguments.contextSize == nil && arguments.parallel == nil && arguments.unifiedCache == nil)
        #expect(arguments.keyCacheType == .f16 && arguments.valueCacheType == .f16)
        #expect(arguments.microBatchSize == 512 && arguments.batchSize == 2048)
        #expect(arguments.flashAttention == nil)
    }

    @Test func theLastOccurrenceWins() throws {
        #expect(try LlamaServerMemoryArguments(parsing: ["-c", "100", "--ctx-size", "200"]).contextSize == 200)
        #expect(try LlamaServerMemoryArguments(parsing: ["-fa", "on", "-fa", "auto"]).flashAttention == nil)
    }

    @Test func badValuesAreErrorsNamingTheArgument() {
        let cases: [([String], ModelMemoryError)] = [
            (["-c"], .invalidArgument(argument: "-c", value: "", reason: "needs a value")),
            (["-c", "many"], .invalidArgument(argument: "-c", value: "many", reason: "is not a 32-bit integer")),
            (["-c", "4294967296"], .invalidArgument(argument: "-c", value: "4294967296", reason: "is not a 32-bit integer")),
            (["-c", "-5"], .invalidArgument(argument: "-c", value: "-5", reason: "is negative")),
            (["-np", "0"], .invalidArgument(argument: "-np", value: "0", reason: "must not be 0")),
            (["-ctk", "q4_K"], .invalidArgument(argument: "-ctk", value: "q4_K",
                                                reason: "is not one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1")),
            (["-fa", "maybe"], .invalidArgument(argument: "-fa", value: "maybe", reason: "is not on, off or auto")),
        ]
        for (arguments, expected) in cases {
            #expect(throws: expected) { try LlamaServerMemoryArguments(parsing: arguments) }
        }
        #expect(ModelMemoryError.invalidArgument(argument: "-c", value: "many", reason: "is not a 32-bit integer").description
                == "llama-server argument -c many: is not a 32-bit integer")
    }
}
