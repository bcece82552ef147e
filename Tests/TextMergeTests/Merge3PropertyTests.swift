import Foundation
import Testing
import TextMerge

/// Properties of the merge over seeded random texts. The seed is printed; change `seed` to
/// explore, and a failure names its round.
@Suite struct Merge3PropertyTests {
    static let seed: UInt64 = 0x3_11E5_2024

    /// Each side edits (replaces, inserts, deletes) line ranges of its own, with at least one
    /// untouched base line between any two edits: the merge is clean and is the base with
    /// both sides' edits applied.
    @Test func disjointEditsMergeCleanlyIntoBothEdits() {
        print("Merge3PropertyTests.disjointEditsMergeCleanlyIntoBothEdits seed: \(Self.seed)")
        var random = TestRandom(seed: Self.seed)
        for round in 0..<500 {
            // Unique lines, so that each side's diff against the base is the edit itself.
            let openEnd = random.next(4) == 0
            var base = (0..<random.next(30)).map { "base \($0)" + (random.next(3) == 0 ? "\r\n" : "\n") }
            if openEnd, let last = base.popLast() { base.append(String(last.prefix { $0 != "\n" && $0 != "\r\n" })) }

            var edits: [Edit] = []
            var free = 0 // the first base line an edit may touch
            while true {
                let start = free + random.next(4)
                // Inserting after a last line without a newline would join the two lines.
                if start > base.count || (openEnd && start == base.count) { break }
                let length = min(random.next(4), base.count - start)
                let side = random.next(2) == 0 ? "mine" : "theirs"
                let lines = (0..<random.next(3)).map { "\(side) \(edits.count).\($0)\n" }
                edits.append(Edit(range: start..<start + length, lines: lines, mine: side == "mine"))
                free = start + length + 1
            }
            let mine = Self.apply(edits.filter(\.mine), to: base)
            let theirs = Self.apply(edits.filter { !$0.mine }, to: base)
            let both = Self.apply(edits, to: base)

            let result = Self.merge(base.joined(), mine, theirs)
            #expect(result.isClean, "seed \(Self.seed) round \(round): \(result.conflicts.count) conflicts")
            #expect(Self.cleanText(result) == Data(both.utf8), "seed \(Self.seed) round \(round)")
            #expect(result.withMarkers() == Data(both.utf8), "seed \(Self.seed) round \(round)")
        }
    }

    /// Any texts at all, lines repeating: when both sides made the same text, the merge is
    /// clean and is that text; when one side is the base, it is the other side; swapping the
    /// sides swaps mine and theirs in every conflict; each conflict holds its inputs' lines.
    @Test func sameEditsOneSidedEditsAndSymmetry() {
        print("Merge3PropertyTests.sameEditsOneSidedEditsAndSymmetry seed: \(Self.seed)")
        var random = TestRandom(seed: Self.seed)
        for round in 0..<500 {
            let texts = (0..<3).map { _ in
                random.lines(count: random.next(16), alphabet: 2 + random.next(4)).map { $0 + "\n" }.joined()
                    + (random.next(4) == 0 ? "a" : "")
            }
            let (base, mine, theirs) = (texts[0], texts[1], texts[2])
            let label = "seed \(Self.seed) round \(round): \(texts.map(\.debugDescription))"

            let same = Self.merge(base, mine, mine)
            #expect(same.isClean, "\(label)")
            #expect(same.resolved(choices: Array(repeating: .mine, count: same.conflictCount)) == Data(mine.utf8), "\(label)")
            #expect(Self.cleanText(Self.merge(base, mine, base)) == Data(mine.utf8), "\(label)")
            #expect(Self.cleanText(Self.merge(base, base, theirs)) == Data(theirs.utf8), "\(label)")

            let result = Self.merge(base, mine, theirs)
            let swapped = Self.merge(base, theirs, mine)
            guard swapped.conflictCount == result.conflictCount else {
                Issue.record("\(result.conflictCount) conflicts, swapped \(swapped.conflictCount): \(label)")
                continue
            }
            let picks: [MergeResult.Choice] = (0..<result.conflictCount).map { _ in [.mine, .theirs, .base][random.next(3)] }
            let mirrored = picks.map { pick -> MergeResult.Choice in pick == .mine ? .theirs : pick == .theirs ? .mine : pick }
            #expect(result.resolved(choices: picks) == swapped.resolved(choices: mirrored), "\(label)")

            let (baseLines, mineLines, theirsLines) = (Line.split(base), Line.split(mine), Line.split(theirs))
            var ends = (base: 0, mine: 0, theirs: 0)
            for conflict in result.conflicts {
                #expect(conflict.base == Array(baseLines[conflict.baseRange]), "\(label)")
                #expect(conflict.mine == Array(mineLines[conflict.mineRange]), "\(label)")
                #expect(conflict.theirs == Array(theirsLines[conflict.theirsRange]), "\(label)")
                #expect(conflict.baseRange.lowerBound >= ends.base && conflict.mineRange.lowerBound >= ends.mine
                        && conflict.theirsRange.lowerBound >= ends.theirs, "in order: \(label)")
                ends = (conflict.baseRange.upperBound, conflict.mineRange.upperBound, conflict.theirsRange.upperBound)
            }
            for (before, after) in zip(result.chunks, result.chunks.dropFirst()) {
                #expect(before.isConflict || after.isConflict, "two clean chunks in a row: \(label)")
            }
            #expect(!result.chunks.contains(.clean([])), "\(label)")
        }
    }

    // MARK: Helpers

    /// Base lines `range` replaced by `lines`.
    struct Edit {
        var range: Range<Int>
        var lines: [String]
        var mine: Bool
    }

    /// `base` with `edits` (in order, not overlapping) applied.
    static func apply(_ edits: [Edit], to base: [String]) -> String {
        var out: [String] = []
        var next = 0
        for edit in edits {
            out += base[next..<edit.range.lowerBound]
            out += edit.lines
            next = edit.range.upperBound
        }
        out += base[next...]
        return out.joined()
    }

    /// The merged text of a clean merge; with conflicts, the text with markers (which no
    /// expected text holds), so that a test fails instead of trapping in `resolved`.
    static func cleanText(_ result: MergeResult) -> Data {
        result.isClean ? result.resolved(choices: []) : result.withMarkers()
    }

    static func merge(_ base: String, _ mine: String, _ theirs: String) -> MergeResult {
        Merge3.merge(base: Line.split(base), mine: Line.split(mine), theirs: Line.split(theirs))
    }
}
