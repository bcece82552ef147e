import Foundation
import TextMerge

/// The merge screen's text, one ``PagerLine`` per screen line: the clean lines the merge settled
/// by itself, and for each hunk changed on both sides a heading, then mine, base and theirs
/// stacked (undecided) or the lines chosen (decided). A gutter says what each line is, so the
/// screen reads the same without colours: "<" mine, "|" base, ">" theirs, "=" chosen.
/// Pure; built by ``MergeState`` on every change.
struct MergeDocument {
    let input: MergeInput
    let decisions: [MergeResult.Choice?]
    /// The hunk the keys act on: its heading is marked.
    let current: Int
    /// Where each hunk's heading is, filled by `build()`.
    private(set) var hunkStarts: [Int] = []

    init(input: MergeInput, decisions: [MergeResult.Choice?], current: Int) {
        self.input = input
        self.decisions = decisions
        self.current = current
    }

    mutating func build() -> [PagerLine] {
        switch input.merge {
        case .binary: return binary()
        case .text(let result): return text(result)
        }
    }

    private mutating func text(_ result: MergeResult) -> [PagerLine] {
        var lines: [PagerLine] = []
        var index = 0
        if result.chunks.isEmpty { lines.append(PagerLine("(the merged file is empty)", role: .muted)) }
        for chunk in result.chunks {
            switch chunk {
            case .clean(let clean):
                lines += clean.map { PagerLine("  " + Self.shown($0)) }
            case .conflict(let conflict):
                hunkStarts.append(lines.count)
                lines.append(heading(index, count: result.conflictCount))
                if let choice = decisions[index] {
                    lines += side(Line.split(conflict.resolved(choice)), gutter: "=", role: .value)
                } else {
                    lines.append(PagerLine("  ┄ \(input.mineLabel)", role: .diffHeader))
                    lines += side(conflict.mine, gutter: "<", role: .diffAdded)
                    lines.append(PagerLine("  ┄ \(input.baseLabel)", role: .diffHeader))
                    lines += side(conflict.base, gutter: "|", role: .muted)
                    lines.append(PagerLine("  ┄ \(input.theirsLabel)", role: .diffHeader))
                    lines += side(conflict.theirs, gutter: ">", role: .diffRemoved)
                }
                index += 1
            }
        }
        return lines
    }

    private mutating func binary() -> [PagerLine] {
        hunkStarts = [0]
        var lines = [heading(0, count: 1)]
        lines.append(PagerLine("  A binary file has no lines to merge: keep mine, theirs, or both.", role: .muted))
        lines.append(PagerLine("  < \(input.mineLabel): \(Formatting.bytes(Int64(input.mineSize)))", role: .diffAdded))
        lines.append(PagerLine("  | \(input.baseLabel)" + (input.baseSize.map { ": \(Formatting.bytes(Int64($0)))" } ?? ""), role: .muted))
        lines.append(PagerLine("  > \(input.theirsLabel): \(Formatting.bytes(Int64(input.theirsSize)))", role: .diffRemoved))
        lines.append(PagerLine("  Both keeps the head and puts mine beside it as a copy.", role: .muted))
        return lines
    }

    /// "▶ Hunk 1 of 2 · changed on both sides: m mine, t theirs, b both, e edit" or
    /// "  Hunk 2 of 2 · took theirs".
    private func heading(_ index: Int, count: Int) -> PagerLine {
        let mark = index == current ? "▶ " : "  "
        let name = input.merge == .binary ? "Binary file" : "Hunk \(index + 1) of \(count)"
        let state: String
        switch decisions[index] {
        case nil: state = input.merge == .binary ? "m mine, t theirs, b both" : "changed on both sides: m mine, t theirs, b both, e edit"
        case .mine?: state = "took mine"
        case .theirs?: state = "took theirs"
        case .both?: state = input.merge == .binary ? "keeps both" : "took both, mine first"
        case .base?: state = "kept the base"
        case .custom?: state = "edited"
        }
        return PagerLine(mark + name + " · " + state, role: index == current ? .rowSelected : .diffHunk)
    }

    private func side(_ lines: [Line], gutter: String, role: ThemeRole) -> [PagerLine] {
        guard !lines.isEmpty else { return [PagerLine("\(gutter) (no lines)", role: .muted)] }
        return lines.map { PagerLine("\(gutter) " + Self.shown($0), role: role) }
    }

    /// A line as drawn: tabs expanded, its ending dropped.
    static func shown(_ line: Line) -> String {
        PagerContent.expandTabs(line.text)
    }
}
