import DriveEngine
import Foundation
import TextMerge

/// What the merge screen works on: a conflict, the head it is merged into, and the 3-way merge of
/// its sides (made off the main actor: a merge reads whole files). Value type, Sendable.
public struct MergeInput: Equatable, Sendable {
    /// The conflict: `version` is mine (the later write), `base` the version both edited from.
    public var conflict: ConflictInfo
    /// The head's number when the sides were read: theirs.
    public var headNumber: Int
    /// The line merge of base, mine and theirs, or `.binary`.
    public var merge: DataMerge
    /// Mine's size in bytes, for a binary file's summary.
    public var mineSize: Int
    /// Theirs' size in bytes.
    public var theirsSize: Int
    /// The base's size in bytes; nil when the sides share no known base.
    public var baseSize: Int?

    /// Creates the input of a merge screen.
    public init(conflict: ConflictInfo, headNumber: Int, merge: DataMerge, mineSize: Int, theirsSize: Int, baseSize: Int?) {
        self.conflict = conflict
        self.headNumber = headNumber
        self.merge = merge
        self.mineSize = mineSize
        self.theirsSize = theirsSize
        self.baseSize = baseSize
    }

    /// Merges `sides` against their base (`Merge3`), as the merge screen shows it.
    public init(_ sides: ConflictSides) {
        self.init(conflict: sides.conflict, headNumber: sides.headNumber,
                  merge: Merge3.merge(base: sides.base ?? Data(), mine: sides.mine, theirs: sides.theirs),
                  mineSize: sides.mine.count, theirsSize: sides.theirs.count, baseSize: sides.base?.count)
    }

    /// "mine (v3 by bob from laptop)": the conflict version, in the words of `cairn resolve`.
    public var mineLabel: String {
        "mine (v\(conflict.version) by \(conflict.author)\(conflict.device.map { " from \($0)" } ?? ""))"
    }

    /// "theirs (head v2)".
    public var theirsLabel: String { "theirs (head v\(headNumber))" }

    /// "base (v1)", or "base (none)" when the two sides share no known ancestor.
    public var baseLabel: String { "base (\(conflict.base.map { "v\($0)" } ?? "none"))" }
}

/// Which side (or both) a person takes for a hunk, or for a whole binary file.
public enum MergeSide: String, Equatable, Sendable, CaseIterable {
    /// The conflict version's lines.
    case mine
    /// The head's lines.
    case theirs
    /// Mine's lines, then theirs' (for a binary file: the head stays and mine becomes a copy).
    case both

    /// The text merge's choice for this side.
    var choice: MergeResult.Choice {
        switch self {
        case .mine: .mine
        case .theirs: .theirs
        case .both: .both
        }
    }
}

/// The merge screen: the hunks both sides changed, what the person chose for each so far (with
/// an undo history), the hunk they are on, and the document drawn for it. A binary file is one
/// "hunk" whose only choices are mine, theirs and both. Value type, Sendable; changed only by the
/// reducer.
public struct MergeState: Equatable, Sendable {
    /// The conflict and its merge.
    public let input: MergeInput
    /// The choice made for each conflicting hunk, in order; nil while undecided.
    public private(set) var decisions: [MergeResult.Choice?]
    /// The hunk the keys act on.
    public private(set) var hunk = 0
    /// The first document line on screen.
    public var top = 0
    /// Whether the result is being written (keys wait for it).
    public var isWriting = false
    /// The document: clean lines, and each hunk's sides or its result. Rebuilt on every change.
    public private(set) var lines: [PagerLine] = []
    /// Where each hunk's heading is in `lines`.
    public private(set) var hunkStarts: [Int] = []
    /// Earlier decisions and the hunk each was made on, for undo.
    private var history: [Step] = []

    private struct Step: Equatable, Sendable {
        var decisions: [MergeResult.Choice?]
        var hunk: Int
    }

    /// A merge screen at its first hunk, nothing decided.
    public init(_ input: MergeInput) {
        self.input = input
        switch input.merge {
        case .binary: decisions = [nil]
        case .text(let result): decisions = Array(repeating: nil, count: result.conflictCount)
        }
        rebuild()
    }

    /// Whether the file is binary: no line merge, only mine, theirs or both.
    public var isBinary: Bool { input.merge == .binary }

    /// The hunks to decide (a binary file counts as one).
    public var hunkCount: Int { decisions.count }

    /// How many hunks are still undecided.
    public var undecidedCount: Int { decisions.count { $0 == nil } }

    /// Whether there is a decision to undo.
    public var canUndo: Bool { !history.isEmpty }

    /// Whether `MergeSide` `side` was taken for the whole of a binary file.
    public var binaryChoice: MergeSide? {
        guard isBinary, let choice = decisions.first ?? nil else { return nil }
        return MergeSide.allCases.first { $0.choice == choice }
    }

    /// The merged bytes, once every hunk of a text is decided; nil before, and for a binary file.
    public var mergedText: Data? {
        guard case .text(let result) = input.merge, undecidedCount == 0 else { return nil }
        return result.resolved(choices: decisions.compactMap(\.self))
    }

    /// Hunk `index`'s conflict (text only).
    func conflict(_ index: Int) -> MergeResult.Conflict? {
        guard case .text(let result) = input.merge else { return nil }
        let conflicts = result.conflicts
        return conflicts.indices.contains(index) ? conflicts[index] : nil
    }

    /// Decides hunk `index` (the current one when nil), then moves to the next undecided one
    /// (if any is left).
    public mutating func decide(_ choice: MergeResult.Choice, hunk index: Int? = nil, visibleRows: Int) {
        let index = index ?? hunk
        guard decisions.indices.contains(index) else { return }
        history.append(Step(decisions: decisions, hunk: hunk))
        decisions[index] = choice
        hunk = index
        let after = decisions.indices.filter { $0 > hunk } + decisions.indices.filter { $0 < hunk }
        if let next = after.first(where: { decisions[$0] == nil }) { hunk = next }
        rebuild()
        reveal(visibleRows: visibleRows)
    }

    /// Undoes the last decision, going back to its hunk; false when there is none.
    @discardableResult
    public mutating func undo(visibleRows: Int) -> Bool {
        guard let step = history.popLast() else { return false }
        decisions = step.decisions
        hunk = step.hunk
        rebuild()
        reveal(visibleRows: visibleRows)
        return true
    }

    /// Goes to the next (or previous) hunk, wrapping around.
    public mutating func step(forward: Bool, visibleRows: Int) {
        guard hunkCount > 0 else { return }
        hunk = (hunk + (forward ? 1 : hunkCount - 1)) % hunkCount
        rebuild()
        reveal(visibleRows: visibleRows)
    }

    /// Scrolls by `rows` (negative: up), no further than shows the last line.
    public mutating func scroll(by rows: Int, visibleRows: Int) {
        top = max(0, min(top.addingReportingOverflow(rows).partialValue, lines.count - visibleRows))
    }

    /// What `$EDITOR` opens for hunk `index`: its decided lines, or else the three sides between
    /// diff3 markers. Nil for a binary file.
    public func editorText(hunk index: Int) -> Data? {
        guard let conflict = conflict(index) else { return nil }
        if let choice = decisions[index] { return conflict.resolved(choice) }
        return conflict.withMarkers(mineLabel: input.mineLabel, baseLabel: input.baseLabel, theirsLabel: input.theirsLabel)
    }

    /// Scrolls so the current hunk's heading shows, with two lines of context above it.
    private mutating func reveal(visibleRows: Int) {
        guard hunkStarts.indices.contains(hunk) else { return }
        let start = hunkStarts[hunk]
        let end = hunk + 1 < hunkStarts.count ? hunkStarts[hunk + 1] : lines.count
        if start < top + 2 || end > top + visibleRows { top = start - 2 }
        scroll(by: 0, visibleRows: visibleRows)
    }

    private mutating func rebuild() {
        var document = MergeDocument(input: input, decisions: decisions, current: hunk)
        lines = document.build()
        hunkStarts = document.hunkStarts
    }
}
