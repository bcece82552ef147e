import Foundation

/// The three-way merge of a text (diff3): the changes from `base` to `mine` and from `base` to
/// `theirs`, applied together.
///
/// Words: the *base* is the version both sides started from (the true common ancestor, not
/// the latest version); *mine* and *theirs* are two edits of it. The result is a list of
/// *chunks*: clean ones, which every side agrees on after the merge, and *conflicts*, where
/// both sides changed the same lines differently.
///
/// Semantics are those of diff3 (Khanna, Kunal and Pierce, "A Formal Investigation of Diff3",
/// 2007), as GNU diff3 and `git merge-file --diff3` apply them:
/// - Each side is compared with the base by `LineDiff`. A base line that both sides keep, at
///   the place where the other lines put it, is *stable*; stable lines are copied.
/// - Between stable runs lies an unstable region. A change on one side only is taken; the
///   same change on both sides is taken once; anything else is a conflict. Changes with no
///   stable line between them fall in one region, so edits of adjacent lines conflict (as in
///   git), and so do two different insertions at the same place.
///
/// Pure functions; `Sendable` values. Lines compare as bytes (see `Line`).
public enum Merge3 {
    /// Merges the edits of `mine` and `theirs` to `base`, line by line.
    public static func merge(base: [Line], mine: [Line], theirs: [Line]) -> MergeResult {
        var numbering = LineNumbering()
        let baseKeys = numbering.keys(base), mineKeys = numbering.keys(mine), theirsKeys = numbering.keys(theirs)
        let inMine = LineDiff(old: baseKeys, new: mineKeys).keptAs
        let inTheirs = LineDiff(old: baseKeys, new: theirsKeys).keptAs

        var result = MergeResult(chunks: [])
        var b = 0, m = 0, t = 0 // the next line of base, mine and theirs
        while b < base.count || m < mine.count || t < theirs.count {
            var run = 0
            while b + run < base.count && inMine[b + run] == m + run && inTheirs[b + run] == t + run { run += 1 }
            if run > 0 {
                result.appendClean(base[b..<b + run])
                b += run; m += run; t += run
                continue
            }
            // Unstable up to the next base line both sides keep; every kept line before `b`
            // went to a line before `m` (or `t`), so the region's ends are not before its starts.
            var next = b
            while next < base.count && (inMine[next] == nil || inTheirs[next] == nil) { next += 1 }
            let mineEnd = next < base.count ? inMine[next]! : mine.count
            let theirsEnd = next < base.count ? inTheirs[next]! : theirs.count
            let region = (base: b..<next, mine: m..<mineEnd, theirs: t..<theirsEnd)
            let mineSame = mineKeys[region.mine].elementsEqual(baseKeys[region.base])
            let theirsSame = theirsKeys[region.theirs].elementsEqual(baseKeys[region.base])
            if mineSame {
                result.appendClean(theirs[region.theirs])
            } else if theirsSame || mineKeys[region.mine].elementsEqual(theirsKeys[region.theirs]) {
                result.appendClean(mine[region.mine])
            } else {
                result.chunks.append(.conflict(MergeResult.Conflict(
                    base: Array(base[region.base]), mine: Array(mine[region.mine]), theirs: Array(theirs[region.theirs]),
                    baseRange: region.base, mineRange: region.mine, theirsRange: region.theirs,
                    usesCRLF: usesCRLF(before: region, base: base, mine: mine, theirs: theirs))))
            }
            b = next; m = mineEnd; t = theirsEnd
        }
        return result
    }

    /// Merges three versions of a file: `.binary` when any of them looks binary (see
    /// `looksBinary`: a NUL byte or invalid UTF-8 in its first 8 KiB, git's test), else the
    /// line merge of their lines (`Line.split`).
    public static func merge(base: Data, mine: Data, theirs: Data) -> DataMerge {
        if looksBinary(base) || looksBinary(mine) || looksBinary(theirs) { return .binary }
        return .text(merge(base: Line.split(base), mine: Line.split(mine), theirs: Line.split(theirs)))
    }

    /// Whether lines written into a conflict (markers, a missing last newline) end in "\r\n":
    /// when the line before the conflict (or the first line) of mine, theirs and base ends in
    /// "\r\n" wherever it tells, and one of them tells. After git's `is_cr_needed` (xdiff).
    static func usesCRLF(before region: (base: Range<Int>, mine: Range<Int>, theirs: Range<Int>),
                         base: [Line], mine: [Line], theirs: [Line]) -> Bool {
        let told = [
            lineEndingIsCRLF(mine, at: max(region.mine.lowerBound - 1, 0)),
            lineEndingIsCRLF(theirs, at: max(region.theirs.lowerBound - 1, 0)),
            lineEndingIsCRLF(base, at: max(region.base.lowerBound - 1, 0)),
        ].compactMap(\.self)
        return !told.isEmpty && told.allSatisfy(\.self)
    }

    /// Whether line `index` of `lines` ends in "\r\n"; a last line without a newline is told by
    /// the line before it. Nil when nothing tells: no lines, or one without a newline.
    static func lineEndingIsCRLF(_ lines: [Line], at index: Int) -> Bool? {
        guard index < lines.count else { return nil }
        if lines[index].hasNewline { return lines[index].endsWithCRLF }
        return index > 0 ? lines[index - 1].endsWithCRLF : nil
    }
}

/// The merge of three versions of a file.
public enum DataMerge: Sendable, Equatable {
    /// All three are text: their line merge.
    case text(MergeResult)
    /// At least one looks binary (`looksBinary`); there is no line merge.
    case binary
}
