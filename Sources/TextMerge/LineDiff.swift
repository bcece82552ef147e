/// Which lines of two sequences are changed: Myers' O(ND) difference algorithm in linear space,
/// with the refinements of xdiff (git) and GNU diff.
///
/// - Lines that never occur on the other side cannot be part of a common subsequence: they are
///   marked changed at once and left out of the search (GNU diff's `discard_confusing_lines`).
/// - The search runs from both ends to the middle snake and recurses (Myers 1986, section 4b).
/// - Past a cost of about √N edits (at least 256), a box is split at the furthest-reaching
///   diagonal instead of the exact middle (xdiff's `mxcost`), so the worst case stays near
///   O(N·√N). The result is then a short script, not always the shortest.
/// - Change groups are slid down as far as equal lines allow, so an added block starts where a
///   reader expects it (xdiff's `xdl_change_compact`).
///
/// Pure value type; `Sendable`.
struct LineDiff: Sendable {
    /// `removed[i]`: line `i` of the old side is not in the common subsequence.
    var removed: [Bool]
    /// `added[j]`: line `j` of the new side is not in the common subsequence.
    var added: [Bool]

    /// Compares two sequences of line keys (equal keys are equal lines).
    init(old: [Int], new: [Int]) {
        removed = Array(repeating: false, count: old.count)
        added = Array(repeating: false, count: new.count)

        // Only lines that occur on both sides take part in the search.
        let inNew = Set(new)
        let inOld = Set(old)
        var oldKeys: [Int] = [], oldIndex: [Int] = []
        var newKeys: [Int] = [], newIndex: [Int] = []
        oldKeys.reserveCapacity(old.count)
        newKeys.reserveCapacity(new.count)
        for (i, key) in old.enumerated() {
            if inNew.contains(key) { oldKeys.append(key); oldIndex.append(i) } else { removed[i] = true }
        }
        for (j, key) in new.enumerated() {
            if inOld.contains(key) { newKeys.append(key); newIndex.append(j) } else { added[j] = true }
        }

        var search = MiddleSnakeSearch(old: oldKeys, new: newKeys)
        search.compare(oldRange: 0..<oldKeys.count, newRange: 0..<newKeys.count, needMinimal: false)
        for (k, changed) in search.removed.enumerated() where changed { removed[oldIndex[k]] = true }
        for (k, changed) in search.added.enumerated() where changed { added[newIndex[k]] = true }

        Self.slideDown(&removed, keys: old)
        Self.slideDown(&added, keys: new)
    }

    /// Moves each run of changed lines down while the line after it equals its first line: the
    /// same text is removed (or added), one line later.
    static func slideDown(_ changed: inout [Bool], keys: [Int]) {
        var start = 0
        while start < changed.count {
            guard changed[start] else { start += 1; continue }
            var end = start
            while end < changed.count && changed[end] { end += 1 }
            while end < changed.count && !changed[end] && keys[end] == keys[start] {
                changed[start] = false
                changed[end] = true
                start += 1
                end += 1
                while end < changed.count && changed[end] { end += 1 } // merged with the next run
            }
            start = end
        }
    }
}

extension LineDiff {
    /// For each old line, the new line it is kept as (the common subsequence pairs unchanged
    /// lines in order), or nil when it is removed. Increasing where not nil.
    var keptAs: [Int?] {
        var kept: [Int?] = Array(repeating: nil, count: removed.count)
        var j = 0
        for i in removed.indices where !removed[i] {
            while added[j] { j += 1 }
            kept[i] = j
            j += 1
        }
        return kept
    }
}

/// The divide-and-conquer part of `LineDiff`: finds a middle snake, splits, recurses.
private struct MiddleSnakeSearch {
    let a: [Int]
    let b: [Int]
    var removed: [Bool]
    var added: [Bool]
    /// Forward and backward furthest-reaching x per diagonal k = x − y, stored at k + offset.
    var forward: [Int]
    var backward: [Int]
    let offset: Int
    /// Edits after which a box is split heuristically.
    let maxCost: Int

    init(old: [Int], new: [Int]) {
        a = old
        b = new
        removed = Array(repeating: false, count: old.count)
        added = Array(repeating: false, count: new.count)
        let diagonals = old.count + new.count + 3
        forward = Array(repeating: 0, count: diagonals)
        backward = Array(repeating: 0, count: diagonals)
        offset = new.count + 1
        var root = 1
        while root * root < diagonals { root += 1 }
        maxCost = max(256, root)
    }

    mutating func compare(oldRange: Range<Int>, newRange: Range<Int>, needMinimal: Bool) {
        var low1 = oldRange.lowerBound, high1 = oldRange.upperBound
        var low2 = newRange.lowerBound, high2 = newRange.upperBound
        while low1 < high1 && low2 < high2 && a[low1] == b[low2] { low1 += 1; low2 += 1 }
        while low1 < high1 && low2 < high2 && a[high1 - 1] == b[high2 - 1] { high1 -= 1; high2 -= 1 }
        if low1 == high1 {
            for j in low2..<high2 { added[j] = true }
        } else if low2 == high2 {
            for i in low1..<high1 { removed[i] = true }
        } else {
            let split = middleSnake(low1, high1, low2, high2, needMinimal: needMinimal)
            compare(oldRange: low1..<split.x, newRange: low2..<split.y, needMinimal: split.minimalLow)
            compare(oldRange: split.x..<high1, newRange: split.y..<high2, needMinimal: split.minimalHigh)
        }
    }

    struct Split {
        var x: Int
        var y: Int
        var minimalLow: Bool
        var minimalHigh: Bool
    }

    /// A point on an optimal (or, past `maxCost`, a good) path through the box; the box has
    /// no common first or last line. Follows xdiff's `xdl_split`.
    mutating func middleSnake(_ off1: Int, _ lim1: Int, _ off2: Int, _ lim2: Int, needMinimal: Bool) -> Split {
        let dmin = off1 - lim2, dmax = lim1 - off2
        let fmid = off1 - off2, bmid = lim1 - lim2
        let odd = (fmid - bmid) & 1 != 0
        var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
        let o = offset
        forward[fmid + o] = off1
        backward[bmid + o] = lim1
        var cost = 1
        while true {
            // Forward: extend each diagonal one edit further, then along its snake.
            if fmin > dmin { fmin -= 1; forward[fmin - 1 + o] = -1 } else { fmin += 1 }
            if fmax < dmax { fmax += 1; forward[fmax + 1 + o] = -1 } else { fmax -= 1 }
            var d = fmax
            while d >= fmin {
                var x = forward[d - 1 + o] >= forward[d + 1 + o] ? forward[d - 1 + o] + 1 : forward[d + 1 + o]
                var y = x - d
                while x < lim1 && y < lim2 && a[x] == b[y] { x += 1; y += 1 }
                forward[d + o] = x
                if odd && bmin <= d && d <= bmax && backward[d + o] <= x {
                    return Split(x: x, y: y, minimalLow: true, minimalHigh: true)
                }
                d -= 2
            }
            // Backward: the same from the bottom-right corner.
            if bmin > dmin { bmin -= 1; backward[bmin - 1 + o] = Int.max } else { bmin += 1 }
            if bmax < dmax { bmax += 1; backward[bmax + 1 + o] = Int.max } else { bmax -= 1 }
            d = bmax
            while d >= bmin {
                var x = backward[d - 1 + o] < backward[d + 1 + o] ? backward[d - 1 + o] : backward[d + 1 + o] - 1
                var y = x - d
                while x > off1 && y > off2 && a[x - 1] == b[y - 1] { x -= 1; y -= 1 }
                backward[d + o] = x
                if !odd && fmin <= d && d <= fmax && x <= forward[d + o] {
                    return Split(x: x, y: y, minimalLow: true, minimalHigh: true)
                }
                d -= 2
            }
            if !needMinimal && cost >= maxCost {
                return furthestReaching(off1, lim1, off2, lim2, fmin: fmin, fmax: fmax, bmin: bmin, bmax: bmax)
            }
            cost += 1
        }
    }

    /// The heuristic split: the forward or backward point that got furthest into the box.
    func furthestReaching(_ off1: Int, _ lim1: Int, _ off2: Int, _ lim2: Int,
                          fmin: Int, fmax: Int, bmin: Int, bmax: Int) -> Split {
        let o = offset
        var forwardBest = -1, forwardX = -1
        var d = fmax
        while d >= fmin {
            var x = min(forward[d + o], lim1)
            var y = x - d
            if lim2 < y { x = lim2 + d; y = lim2 }
            if forwardBest < x + y { forwardBest = x + y; forwardX = x }
            d -= 2
        }
        var backwardBest = Int.max, backwardX = Int.max
        d = bmax
        while d >= bmin {
            var x = max(off1, backward[d + o])
            var y = x - d
            if y < off2 { x = off2 + d; y = off2 }
            if x + y < backwardBest { backwardBest = x + y; backwardX = x }
            d -= 2
        }
        if (lim1 + lim2) - backwardBest < forwardBest - (off1 + off2) {
            return Split(x: forwardX, y: forwardBest - forwardX, minimalLow: true, minimalHigh: false)
        }
        return Split(x: backwardX, y: backwardBest - backwardX, minimalLow: false, minimalHigh: true)
    }
}
