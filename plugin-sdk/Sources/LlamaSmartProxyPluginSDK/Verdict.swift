import LlamaSmartProxyPluginContract

/// What a `ResponseHook` decided for one part of an answer: `.pass`, `.replace(text)`, `.drop`,
/// `.hold`, `.retry(requestJSON:)` or `.fail(status:message:)` (see `HookVerdict`, the one type
/// both sides of the ABI use).
public typealias Verdict = HookVerdict
