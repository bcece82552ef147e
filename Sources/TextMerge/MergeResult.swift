import Foundation

/// The outcome of `Merge3.merge`: the merged text as clean chunks and conflicts, in order.
///
/// Pure value; `Sendable`. No two clean chunks follow each other, and none is empty.
public struct MergeResult: Sendable, Equatable {
    /// A piece of the merged text.
    public enum Chunk: Sendable, Equatable {
        /// Lines the merge settled: unchanged on both sides, changed on one side only, or
        /// changed alike on both.
        case clean([Line])
        /// Lines both sides changed, differently.
        case conflict(Conflict)
    }

    /// A region both sides changed differently: the base's lines there and each side's.
    public struct Conflict: Sendable, Equatable {
        /// The base's lines of the region (empty where both sides inserted).
        public let base: [Line]
        /// Mine's lines of the region.
        public let mine: [Line]
        /// Theirs' lines of the region.
        public let theirs: [Line]
        /// Where `base` is in the base, as 0-based line indices.
        public let baseRange: Range<Int>
        /// Where `mine` is in mine, as 0-based line indices.
        public let mineRange: Range<Int>
        /// Where `theirs` is in theirs, as 0-based line indices.
        public let theirsRange: Range<Int>
        /// Whether lines the merge writes here (markers, a newline it adds) end in "\r\n".
        let usesCRLF: Bool

        /// The line ending the merge writes here.
        var newline: [UInt8] { usesCRLF ? Array("\r\n".utf8) : Array("\n".utf8) }
    }

    /// How to resolve one conflict.
    public enum Choice: Sendable, Equatable {
        /// Mine's lines.
        case mine
        /// Theirs' lines.
        case theirs
        /// Mine's lines, then theirs'. A newline is put between them when mine's last line
        /// (the last of the file) has none, as `git merge-file --union` does.
        case both
        /// The base's lines: neither change.
        case base
        /// These lines, as they are.
        case custom([Line])
    }

    /// The chunks, in order; empty when the merged text is empty.
    public internal(set) var chunks: [Chunk]

    /// The conflicts, in order.
    public var conflicts: [Conflict] {
        chunks.compactMap { chunk in
            if case .conflict(let conflict) = chunk { conflict } else { nil }
        }
    }

    /// How many conflicts there are.
    public var conflictCount: Int {
        chunks.count { chunk in
            if case .conflict = chunk { true } else { false }
        }
    }

    /// Whether the merge has no conflict: `resolved(choices: [])` is the merged text.
    public var isClean: Bool { conflictCount == 0 }

    /// The merged text with the `n`th conflict replaced by the lines `choices[n]` selects.
    ///
    /// - Precondition: `choices.count == conflictCount`.
    public func resolved(choices: [Choice]) -> Data {
        precondition(choices.count == conflictCount, "\(choices.count) choices for \(conflictCount) conflicts")
        var out = Data()
        var next = 0
        for chunk in chunks {
            switch chunk {
            case .clean(let lines):
                out.append(Line.join(lines))
            case .conflict(let conflict):
                out.append(conflict.resolved(choices[next]))
                next += 1
            }
        }
        return out
    }

    mutating func appendClean(_ lines: ArraySlice<Line>) {
        guard !lines.isEmpty else { return }
        if case .clean(let before) = chunks.last {
            chunks[chunks.count - 1] = .clean(before + lines)
        } else {
            chunks.append(.clean(Array(lines)))
        }
    }
}

extension MergeResult.Conflict {
    /// The bytes `choice` puts in place of the conflict.
    public func resolved(_ choice: MergeResult.Choice) -> Data {
        switch choice {
        case .mine: return Line.join(mine)
        case .theirs: return Line.join(theirs)
        case .base: return Line.join(base)
        case .custom(let lines): return Line.join(lines)
        case .both:
            var out = Line.join(mine)
            if let last = mine.last, !last.hasNewline, !theirs.isEmpty { out.append(contentsOf: newline) }
            out.append(Line.join(theirs))
            return out
        }
    }
}
