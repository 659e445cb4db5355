/// One place a model can run (`devices` in `config.json`): a memory budget the scheduler
/// places models against, and what a child placed there gets on top of its own settings.
public struct Device: Sendable, Equatable {
    /// The name models refer to in `device`/`devices`.
    public var name: String
    /// Memory the scheduler may fill with models on this device.
    public var memoryMiB: Int
    /// Environment variables a child placed here gets (e.g. `CUDA_VISIBLE_DEVICES`), by name.
    public var environment: [String: String]
    /// llama-server arguments a child placed here gets after all of its own (e.g. `-ngl 999`).
    public var arguments: [String]
    /// Whether a child's resident memory (VmRSS) at ready measures what it uses here: true for
    /// host memory; false for a GPU, where resident host memory says little about device memory.
    public var measureResidentMemory: Bool
    /// The NVIDIA GPU (`nvidia-smi -i N`) whose memory a stopped child must be seen to release
    /// before the room it held counts as free again (nil: its exit frees it).
    public var nvidiaIndex: Int?

    public init(
        name: String, memoryMiB: Int, environment: [String: String] = [:], arguments: [String] = [],
        measureResidentMemory: Bool = true, nvidiaIndex: Int? = nil
    ) {
        self.nvidiaIndex = nvidiaIndex
        self.name = name
        self.memoryMiB = memoryMiB
        self.environment = environment
        self.arguments = arguments
        self.measureResidentMemory = measureResidentMemory
    }

    /// The device of a configuration without `devices`: host memory, its budget found at start.
    public static let defaultName = "host"
}
