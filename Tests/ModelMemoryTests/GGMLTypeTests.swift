import Testing
@testable import ModelMemory

@Suite struct GGMLTypeTests {
    /// Block sizes and bytes as gguf-py's GGML_QUANT_SIZES lists them (a second source beside
    /// ggml.c's type_traits, from which the table was written).
    @Test func blockSizesMatchGGML() {
        let expected: [String: (UInt64, UInt64)] = [
            "f32": (1, 4), "f16": (1, 2), "bf16": (1, 2), "f64": (1, 8), "i8": (1, 1), "i16": (1, 2), "i32": (1, 4), "i64": (1, 8),
            "q4_0": (32, 18), "q4_1": (32, 20), "q5_0": (32, 22), "q5_1": (32, 24), "q8_0": (32, 34), "q8_1": (32, 36),
            "q2_K": (256, 84), "q3_K": (256, 110), "q4_K": (256, 144), "q5_K": (256, 176), "q6_K": (256, 210), "q8_K": (256, 292),
            "iq2_xxs": (256, 66), "iq2_xs": (256, 74), "iq3_xxs": (256, 98), "iq1_s": (256, 50), "iq4_nl": (32, 18),
            "iq3_s": (256, 110), "iq2_s": (256, 82), "iq4_xs": (256, 136), "iq1_m": (256, 56),
            "tq1_0": (256, 54), "tq2_0": (256, 66), "mxfp4": (32, 17), "nvfp4": (64, 36), "q1_0": (128, 18), "q2_0": (64, 18),
        ]
        #expect(GGMLType.all.count == expected.count)
        for (name, (elements, bytes)) in expected {
            guard let type = GGMLType.named(name) else {
                Issue.record("no type \(name)")
                continue
            }
            #expect(type.blockElements == elements && type.blockBytes == bytes, "\(name)")
        }
        #expect(GGMLType.withID(12)?.name == "q4_K")
        #expect(GGMLType.withID(30)?.name == "bf16")
        for retired: UInt32 in [4, 5, 31, 32, 33, 36, 37, 38, 43] {
            #expect(GGMLType.withID(retired) == nil)
        }
    }

    @Test func rowBytesRoundUpToWholeBlocks() {
        #expect(GGMLType.q8_0.rowBytes(elements: 64) == 68)
        #expect(GGMLType.q8_0.rowBytes(elements: 65) == 102)
        #expect(GGMLType.f16.rowBytes(elements: 3) == 6)
        #expect(GGMLType.f32.rowBytes(elements: .max) == nil)
    }
}
