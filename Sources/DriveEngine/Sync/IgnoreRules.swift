import Foundation

/// What a device does not sync: the patterns of the `.cairnignore` file at the top of its folder,
/// written as in `.gitignore`, plus what sync itself leaves there.
///
/// A line is a pattern; blank lines and lines starting with `#` are skipped; `!` in front
/// re-includes what an earlier pattern excluded; a trailing `/` matches folders only. A pattern
/// with no `/` but a trailing one matches a name at any depth; otherwise it is anchored at the
/// device folder. `*` and `?` never match `/`, `**` matches any number of folders, `[abc]`,
/// `[a-z]` and `[!a]` match one character. The last matching pattern decides. What is ignored is
/// neither sent nor removed on either side; a folder ignored is not looked into.
///
/// Always ignored: `.cairnignore` itself (each device has its own) and the temporary files a get
/// or a sync writes before renaming them into place (`.NAME.cairn-XXXX.tmp`).
public struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var foldersOnly: Bool
        var anchored: Bool
    }

    var rules: [Rule] = []

    public static let fileName = ".cairnignore"

    public init(_ text: String = "") {
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            // Trailing spaces are dropped unless escaped, as git does.
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var rule = Rule(pattern: [], negated: false, foldersOnly: false, anchored: false)
            if line.hasPrefix("!") {
                rule.negated = true
                line = line.dropFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line = line.dropFirst()
            }
            if line.hasSuffix("/") {
                rule.foldersOnly = true
                line = line.dropLast()
            }
            if line.hasPrefix("/") {
                rule.anchored = true
                line = line.dropFirst()
            } else if line.contains("/") {
                rule.anchored = !line.hasPrefix("**/")
            }
            guard !line.isEmpty else { continue }
            rule.pattern = Array(line.utf8)
            rules.append(rule)
        }
    }

    /// The rules of the `.cairnignore` file in `folder` (none when there is no such file).
    public static func load(folder: String) -> IgnoreRules {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return IgnoreRules() }
        return IgnoreRules(String(decoding: data, as: UTF8.self))
    }

    /// Whether the entry with these names below the device folder is ignored.
    public func ignores(_ components: [String], isFolder: Bool) -> Bool {
        guard let name = components.last else { return false }
        if components.count == 1 && name == Self.fileName { return true }
        if Self.isTemporary(name) { return true }
        guard !rules.isEmpty else { return false }
        let path = Array(components.joined(separator: "/").utf8)
        let base = Array(name.utf8)
        var ignored = false
        for rule in rules where !(rule.foldersOnly && !isFolder) && ignored != !rule.negated {
            let subject = rule.anchored ? path : (rule.pattern.contains(UInt8(ascii: "/")) ? path : base)
            if Self.match(rule.pattern[...], subject[...]) { ignored = !rule.negated }
        }
        return ignored
    }

    /// `ignores(_:isFolder:)` for a '/'-separated path, split only when a pattern needs it.
    public func ignores(path: String, isFolder: Bool) -> Bool {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        if rules.isEmpty && !name.hasPrefix(".") { return false }
        return ignores(path.split(separator: "/").map(String.init), isFolder: isFolder)
    }

    /// Whether `name` is a temporary file of a get or a sync (`.NAME.cairn-XXXX.tmp`).
    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp") && name.contains(".cairn-")
    }

    /// Glob match of a whole path: `**` crosses folders, `*` and `?` do not.
    static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var p = pattern.startIndex
        var t = text.startIndex
        while p < pattern.endIndex {
            let c = pattern[p]
            if c == UInt8(ascii: "*") {
                if p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*") {
                    // "**/" matches zero or more folders; a trailing "**" everything below.
                    var rest = p + 2
                    if rest < pattern.endIndex && pattern[rest] == slash { rest += 1 }
                    if rest == pattern.endIndex { return true }
                    var i = t
                    while true {
                        if match(pattern[rest...], text[i...]) { return true }
                        guard let next = text[i...].firstIndex(of: slash) else { return false }
                        i = next + 1
                    }
                }
                var i = t
                while true {
                    if match(pattern[(p + 1)...], text[i...]) { return true }
                    guard i < text.endIndex, text[i] != slash else { return false }
                    i += 1
                }
            }
            guard t < text.endIndex else { return false }
            switch c {
            case UInt8(ascii: "?"):
                guard text[t] != slash else { return false }
                p += 1
            case UInt8(ascii: "["):
                guard let (matched, next) = matchClass(pattern, from: p, text[t]), matched else { return false }
                p = next
            case UInt8(ascii: "\\") where p + 1 < pattern.endIndex:
                guard pattern[p + 1] == text[t] else { return false }
                p += 2
            default:
                guard c == text[t] else { return false }
                p += 1
            }
            t += 1
        }
        return t == text.endIndex
    }

    /// A `[...]` class at `start`: whether `byte` is in it and where the pattern goes on; nil
    /// when the class is not closed (then it is no match).
    private static func matchClass(_ pattern: ArraySlice<UInt8>, from start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex && (pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^")) {
            negate = true
            i += 1
        }
        var found = false
        var first = true
        while i < pattern.endIndex && (first || pattern[i] != UInt8(ascii: "]")) {
            first = false
            let low = pattern[i]
            if i + 2 < pattern.endIndex && pattern[i + 1] == UInt8(ascii: "-") && pattern[i + 2] != UInt8(ascii: "]") {
                if low <= byte && byte <= pattern[i + 2] { found = true }
                i += 3
            } else {
                if low == byte { found = true }
                i += 1
            }
        }
        guard i < pattern.endIndex else { return nil }
        return (found != negate && byte != UInt8(ascii: "/"), i + 1)
    }
}
