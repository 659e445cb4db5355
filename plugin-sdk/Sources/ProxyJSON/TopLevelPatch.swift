/// A merge patch in the spirit of RFC 7386, top level only: each member of the patch object sets
/// the document's member of that name to its value, or removes it when the value is `null`.
/// It is applied to the document's bytes: a set value replaces only the old value's bytes, a
/// removal takes the member and one comma, a new member goes after the last one kept; every
/// other byte (spacing, key order, number spelling, escapes) stays as the client wrote it.
public enum TopLevelPatch {
    /// One change: the value's JSON text, or nil to remove the member.
    public typealias Change = (name: String, value: [UInt8]?)

    /// The changes a patch object asks for, in its order (a name given twice: the last wins).
    public static func changes(in patch: [UInt8]) throws(TopLevelPatchError) -> [Change] {
        let layout: TopLevelLayout
        do { layout = try JSONScanner.scanLayout(patch) } catch { throw TopLevelPatchError("the patch is not valid JSON: \(error)") }
        guard layout.isObject else { throw TopLevelPatchError("the patch must be a JSON object") }
        var changes: [Change] = []
        for entry in layout.entries {
            let value = Array(patch[entry.valueRange])
            changes.removeAll { $0.name == entry.name }
            changes.append((entry.name ?? "", value == Array("null".utf8) ? nil : value))
        }
        return changes
    }

    public static func apply(_ patch: [UInt8], to document: [UInt8]) throws(TopLevelPatchError) -> [UInt8] {
        try apply(changes(in: patch), to: document)
    }

    /// Every member named in `changes` is set (each duplicate of it, so any parser reads the new
    /// value) or removed (all duplicates); `values` must be valid JSON.
    public static func apply(_ changes: [Change], to document: [UInt8]) throws(TopLevelPatchError) -> [UInt8] {
        let layout: TopLevelLayout
        do { layout = try JSONScanner.scanLayout(document) } catch { throw TopLevelPatchError("the request is not valid JSON: \(error)") }
        guard layout.isObject else { throw TopLevelPatchError("the request must be a JSON object") }
        var edits: [ByteEdit] = []
        var removed = Set<Int>()
        var added: [UInt8] = []
        for change in changes {
            let matching = layout.entries.indices.filter { layout.entries[$0].name == change.name }
            guard let value = change.value else {
                removed.formUnion(matching)
                continue
            }
            if matching.isEmpty {
                if !added.isEmpty { added.append(UInt8(ascii: ",")) }
                JSONValue.appendQuoted(change.name, to: &added)
                added.append(UInt8(ascii: ":"))
                added += value
            }
            edits += matching.map { ByteEdit(range: layout.entries[$0].valueRange, replacement: value) }
        }
        edits += removals(of: removed, in: layout)
        if !added.isEmpty {
            if let lastKept = layout.entries.indices.last(where: { !removed.contains($0) }) {
                edits.append(ByteEdit(range: layout.entries[lastKept].valueRange.upperBound..<layout.entries[lastKept].valueRange.upperBound,
                                      replacement: [UInt8(ascii: ",")] + added))
            } else {
                let afterBrace = layout.openingBracket + 1
                edits.append(ByteEdit(range: afterBrace..<afterBrace, replacement: added))
            }
        }
        return ByteEdit.apply(edits, to: document)
    }

    /// A removed member takes the comma after it, up to the next kept member; removed members
    /// after the last kept one take the comma before them instead, so no comma dangles.
    static func removals(of removed: Set<Int>, in layout: TopLevelLayout) -> [ByteEdit] {
        let entries = layout.entries
        guard !removed.isEmpty else { return [] }
        guard let lastKept = entries.indices.last(where: { !removed.contains($0) }) else {
            return [ByteEdit(range: entries[0].start..<entries[entries.count - 1].valueRange.upperBound, replacement: [])]
        }
        return removed.sorted().map { index in
            index < lastKept
                ? ByteEdit(range: entries[index].start..<entries[index + 1].start, replacement: [])
                : ByteEdit(range: entries[index - 1].valueRange.upperBound..<entries[index].valueRange.upperBound, replacement: [])
        }
    }
}
