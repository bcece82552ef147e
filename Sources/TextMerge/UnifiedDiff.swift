/// The line differences between two texts, as the hunks of a unified diff (`diff -u`).
///
/// Lines are split at "\n" only ("\r" stays part of a line) and compare as bytes (`Line`). A
/// last line without a newline differs from the same line with one, and is marked so that
/// `render` can write `\ No newline at end of file` as GNU diff and git do. Identical texts give no hunks.
/// Pure value; `Sendable`. Comparing two 10,000-line files with scattered edits takes
/// milliseconds (see `LineDiff` for the algorithm).
public struct UnifiedDiff: Sendable, Equatable {
    /// The hunks, in order; empty when the texts are identical.
    public var hunks: [DiffHunk]

    /// Lines of unchanged text around each change.
    public static let defaultContext = 3

    /// Compares `old` with `new`, keeping `context` unchanged lines around each change.
    public init(old: String, new: String, context: Int = UnifiedDiff.defaultContext) {
        let oldLines = Line.split(old)
        let newLines = Line.split(new)
        var numbering = LineNumbering()
        let changes = LineDiff(old: numbering.keys(oldLines), new: numbering.keys(newLines))
        let script = Self.script(oldLines, newLines, changes)
        hunks = Self.hunks(script, context: max(0, context))
    }

    /// Whether the texts are identical.
    public var isEmpty: Bool { hunks.isEmpty }

    /// How many lines were added and removed over all hunks.
    public var stats: (added: Int, removed: Int) {
        var added = 0, removed = 0
        for line in hunks.flatMap(\.lines) {
            if line.kind == .added { added += 1 } else if line.kind == .removed { removed += 1 }
        }
        return (added, removed)
    }

    /// Plain unified-diff text: `--- oldName`, `+++ newName`, then each hunk; "" when identical.
    public func render(oldName: String = "a", newName: String = "b") -> String {
        guard !hunks.isEmpty else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks {
            out += hunk.header + "\n"
            for line in hunk.lines {
                out += line.kind.prefix + line.text + "\n"
                if line.missingNewline { out += "\\ No newline at end of file\n" }
            }
        }
        return out
    }

    /// Every line of both texts in diff order: within a change, removals before additions.
    static func script(_ old: [Line], _ new: [Line], _ changes: LineDiff) -> [DiffLine] {
        var script: [DiffLine] = []
        script.reserveCapacity(max(old.count, new.count))
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count && changes.removed[i] {
                script.append(DiffLine(.removed, old[i], oldNumber: i + 1, newNumber: nil))
                i += 1
            } else if j < new.count && changes.added[j] {
                script.append(DiffLine(.added, new[j], oldNumber: nil, newNumber: j + 1))
                j += 1
            } else {
                // Unchanged on both sides: the common subsequence pairs them in order.
                script.append(DiffLine(.context, new[j], oldNumber: i + 1, newNumber: j + 1))
                i += 1
                j += 1
            }
        }
        return script
    }

    /// Groups changes less than 2 × `context` unchanged lines apart into hunks.
    static func hunks(_ script: [DiffLine], context: Int) -> [DiffHunk] {
        var hunks: [DiffHunk] = []
        var index = 0
        while let firstChange = script[index...].firstIndex(where: { $0.kind != .context }) {
            let start = max(index, firstChange - context)
            var end = firstChange // one past the last change so far
            var scan = firstChange
            while scan < script.count {
                if script[scan].kind != .context {
                    end = scan + 1
                    scan += 1
                } else if scan - end < 2 * context {
                    scan += 1
                } else {
                    break
                }
            }
            let stop = min(script.count, end + context)
            hunks.append(DiffHunk(lines: Array(script[start..<stop]), before: script[..<start]))
            index = stop
        }
        return hunks
    }
}

/// A run of changes with the context around it: one `@@ … @@` block.
public struct DiffHunk: Sendable, Equatable {
    /// First old line (1-based) shown; when `oldCount` is 0, the old line the hunk follows.
    public var oldStart: Int
    /// Old lines shown (context and removed).
    public var oldCount: Int
    /// First new line (1-based) shown; when `newCount` is 0, the new line the hunk follows.
    public var newStart: Int
    /// New lines shown (context and added).
    public var newCount: Int
    public var lines: [DiffLine]

    /// `lines` of a hunk; `before` are the script lines that precede it.
    init(lines: [DiffLine], before: ArraySlice<DiffLine>) {
        self.lines = lines
        oldCount = lines.count { $0.kind != .added }
        newCount = lines.count { $0.kind != .removed }
        let oldBefore = before.count { $0.kind != .added }
        let newBefore = before.count { $0.kind != .removed }
        oldStart = oldCount == 0 ? oldBefore : oldBefore + 1
        newStart = newCount == 0 ? newBefore : newBefore + 1
    }

    /// `@@ -oldStart,oldCount +newStart,newCount @@`, leaving out a count of 1 as diff does.
    public var header: String {
        func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }
        return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
    }
}

/// One line of a hunk, tagged for colouring, with its line numbers on each side.
public struct DiffLine: Sendable, Equatable {
    /// Whether a line is unchanged, only in the new text or only in the old.
    public enum Kind: Sendable, Equatable {
        case context, added, removed

        /// The column-one marker of unified diff: " ", "+" or "-".
        public var prefix: String {
            switch self {
            case .context: " "
            case .added: "+"
            case .removed: "-"
            }
        }
    }

    public var kind: Kind
    /// The line without its newline.
    public var text: String
    /// 1-based line number in the old text; nil for an added line.
    public var oldNumber: Int?
    /// 1-based line number in the new text; nil for a removed line.
    public var newNumber: Int?
    /// The line ends its text without a newline.
    public var missingNewline: Bool

    /// A line with the given fields.
    public init(kind: Kind, text: String, oldNumber: Int?, newNumber: Int?, missingNewline: Bool = false) {
        self.kind = kind
        self.text = text
        self.oldNumber = oldNumber
        self.newNumber = newNumber
        self.missingNewline = missingNewline
    }

    init(_ kind: Kind, _ line: Line, oldNumber: Int?, newNumber: Int?) {
        self.init(kind: kind, text: line.text, oldNumber: oldNumber, newNumber: newNumber, missingNewline: !line.hasNewline)
    }
}
