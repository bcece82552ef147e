import Foundation
import Testing
import TextMerge

/// Unified diffs: the text matches GNU `diff -u` (expected outputs below were made with
/// `diff -u --label a --label b`), the structured lines carry the right numbers, every diff
/// patches the old text into the new one, and small diffs are minimal.
@Suite struct UnifiedDiffTests {
    @Test func koreanMeetingNotes() {
        let old = "# 회의록\n\n참석: 민지, Alice\n\n## 안건\n1. 릴리스\n2. 압축\n3. 데모\n\n## 할 일\n- [ ] 민지: 노트\n- [ ] Bob: tmux\n"
        let new = "# 회의록\n\n참석: 민지, Alice, 준호\n\n## 안건\n1. 릴리스\n2. 압축\n\n## 할 일\n- [x] 민지: 노트\n- [ ] Bob: tmux\n- [ ] 준호: 테스트\n"
        let diff = UnifiedDiff(old: old, new: new)
        #expect(diff.render() == Self.text([
            "--- a",
            "+++ b",
            "@@ -1,12 +1,12 @@",
            " # 회의록",
            " ",
            "-참석: 민지, Alice",
            "+참석: 민지, Alice, 준호",
            " ",
            " ## 안건",
            " 1. 릴리스",
            " 2. 압축",
            "-3. 데모",
            " ",
            " ## 할 일",
            "-- [ ] 민지: 노트",
            "+- [x] 민지: 노트",
            " - [ ] Bob: tmux",
            "+- [ ] 준호: 테스트",
        ]))
        #expect(diff.stats.added == 3)
        #expect(diff.stats.removed == 3)

        let lines = diff.hunks[0].lines
        #expect(lines[2] == DiffLine(kind: .removed, text: "참석: 민지, Alice", oldNumber: 3, newNumber: nil))
        #expect(lines[3] == DiffLine(kind: .added, text: "참석: 민지, Alice, 준호", oldNumber: nil, newNumber: 3))
        #expect(lines[8] == DiffLine(kind: .removed, text: "3. 데모", oldNumber: 8, newNumber: nil))
        #expect(lines[9] == DiffLine(kind: .context, text: "", oldNumber: 9, newNumber: 8))
        #expect(lines.last == DiffLine(kind: .added, text: "- [ ] 준호: 테스트", oldNumber: nil, newNumber: 12))
    }

    @Test func identicalTextsHaveNoHunks() {
        let text = "same\n한글\n"
        #expect(UnifiedDiff(old: text, new: text).isEmpty)
        #expect(UnifiedDiff(old: text, new: text).render() == "")
        #expect(UnifiedDiff(old: "", new: "").render() == "")
    }

    @Test func emptyFiles() {
        #expect(UnifiedDiff(old: "", new: "one\ntwo\n").render() == "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+one\n+two\n")
        #expect(UnifiedDiff(old: "one\ntwo\n", new: "").render() == "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-one\n-two\n")
    }

    @Test func missingNewlineAtEnd() {
        #expect(UnifiedDiff(old: "a\nb", new: "a\nb\n").render() == """
            --- a
            +++ b
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +b

            """)
        let both = UnifiedDiff(old: "x\ny\nz", new: "x\nY\nz")
        #expect(both.render() == "--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n\\ No newline at end of file\n")
        #expect(both.hunks[0].lines.last?.missingNewline == true)
        #expect(both.hunks[0].lines.first?.missingNewline == false)
    }

    @Test func changesSixLinesApartShareAHunkSevenDoNot() {
        let old = (1...20).map { "\($0)\n" }.joined()
        let near = old.replacingOccurrences(of: "\n2\n", with: "\ntwo\n").replacingOccurrences(of: "\n9\n", with: "\nnine\n")
        let far = old.replacingOccurrences(of: "\n2\n", with: "\ntwo\n").replacingOccurrences(of: "\n10\n", with: "\nten\n")
        let merged = UnifiedDiff(old: old, new: near)
        #expect(merged.hunks.map(\.header) == ["@@ -1,12 +1,12 @@"])
        let split = UnifiedDiff(old: old, new: far)
        #expect(split.render() == """
            --- a
            +++ b
            @@ -1,5 +1,5 @@
             1
            -2
            +two
             3
             4
             5
            @@ -7,7 +7,7 @@
             7
             8
             9
            -10
            +ten
             11
             12
             13

            """)
        #expect(UnifiedDiff(old: old, new: far, context: 1).hunks.map(\.header) == ["@@ -1,3 +1,3 @@", "@@ -9,3 +9,3 @@"])
    }

    @Test func zeroContextHeadersNameTheLineBefore() {
        #expect(UnifiedDiff(old: "a\nb\nc\n", new: "a\nb\nb\nc\n", context: 0).render() == "--- a\n+++ b\n@@ -2,0 +3 @@\n+b\n")
        #expect(UnifiedDiff(old: "a\nb\nb\nc\n", new: "a\nb\nc\n", context: 0).render() == "--- a\n+++ b\n@@ -3 +2,0 @@\n-b\n")
    }

    /// An added function starts at its `func` line, not at the blank line before it.
    @Test func addedBlocksSlideDownAsDiffShowsThem() {
        let old = "func a() {\n    one()\n}\n\nfunc c() {\n    three()\n}\n"
        let new = "func a() {\n    one()\n}\n\nfunc b() {\n    two()\n}\n\nfunc c() {\n    three()\n}\n"
        #expect(UnifiedDiff(old: old, new: new).render(oldName: "a/Chunker.swift", newName: "b/Chunker.swift") == Self.text([
            "--- a/Chunker.swift",
            "+++ b/Chunker.swift",
            "@@ -2,6 +2,10 @@",
            "     one()",
            " }",
            " ",
            "+func b() {",
            "+    two()",
            "+}",
            "+",
            " func c() {",
            "     three()",
            " }",
        ]))
    }

    @Test func carriageReturnsStayInTheLine() {
        #expect(UnifiedDiff(old: "a\r\nb\r\n", new: "a\r\nc\r\n").render() == "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n")
    }

    /// Lines are compared byte for byte: NFC and NFD Hangul look alike but differ.
    @Test func normalisationFormsDiffer() {
        let nfc = "한\n", nfd = "\u{1112}\u{1161}\u{11AB}\n"
        #expect(UnifiedDiff(old: nfc, new: nfd).stats.added == 1)
    }

    /// Random small texts over a tiny alphabet: every diff patches old into new, and its
    /// length equals the shortest edit script (computed by dynamic programming).
    @Test func randomDiffsPatchAndAreMinimal() throws {
        var random = TestRandom(seed: 42)
        for round in 0..<400 {
            let old = random.lines(count: random.next(30), alphabet: 4)
            let new = random.lines(count: random.next(30), alphabet: 4)
            let oldText = old.map { $0 + "\n" }.joined()
            let newText = new.map { $0 + "\n" }.joined()
            let diff = UnifiedDiff(old: oldText, new: newText, context: round % 4)
            #expect(try Self.patch(oldText, with: diff) == newText, "round \(round)")
            let (added, removed) = diff.stats
            #expect(added + removed == old.count + new.count - 2 * Self.lcsLength(old, new), "round \(round)")
        }
    }

    /// 10,000 lines with 100 scattered edits.
    /// Scattered edits in a long file give a small diff (how fast it is belongs to benchmarks).
    @Test func tenThousandLinesWithScatteredEdits() throws {
        var random = TestRandom(seed: 7)
        let old = (0..<10_000).map { "line \($0): \(random.next(1_000_000))" }
        var new = old
        for _ in 0..<100 {
            let at = random.next(new.count)
            switch random.next(3) {
            case 0: new[at] += " (edited)"
            case 1: new.insert("inserted \(random.next(1000))", at: at)
            default: new.remove(at: at)
            }
        }
        let oldText = old.joined(separator: "\n") + "\n", newText = new.joined(separator: "\n") + "\n"
        let diff = UnifiedDiff(old: oldText, new: newText)
        #expect(try Self.patch(oldText, with: diff) == newText)
        #expect(diff.stats.added + diff.stats.removed <= 200)
    }

    /// The worst case: the same 10,000 lines in another order. The cost limit keeps it bounded.
    @Test func tenThousandShuffledLinesFinishAndPatch() throws {
        var random = TestRandom(seed: 9)
        let old = (0..<10_000).map { "line \($0 % 2_000)" }
        var new = old
        for index in stride(from: new.count - 1, to: 0, by: -1) { new.swapAt(index, random.next(index + 1)) }
        let oldText = old.joined(separator: "\n"), newText = new.joined(separator: "\n")
        let diff = UnifiedDiff(old: oldText, new: newText)
        #expect(try Self.patch(oldText, with: diff) == newText)
    }

    // MARK: Helpers

    /// `lines`, each ended by a newline.
    static func text(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    struct PatchFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Applies `diff` to `old` as `patch` would, checking every context and removed line.
    static func patch(_ old: String, with diff: UnifiedDiff) throws -> String {
        let oldLines = Self.lines(old)
        var out: [String] = []
        var next = 0 // index of the next old line to copy
        for hunk in diff.hunks {
            let first = hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1
            guard first >= next else { throw PatchFailed(description: "hunk \(hunk.header) overlaps the one before") }
            out += oldLines[next..<first]
            next = first
            for line in hunk.lines {
                let rendered = line.text + (line.missingNewline ? "" : "\n")
                switch line.kind {
                case .added:
                    out.append(rendered)
                case .context, .removed:
                    guard next < oldLines.count, oldLines[next] == rendered, line.oldNumber == next + 1 else {
                        throw PatchFailed(description: "\(hunk.header): old line \(next + 1) is not \(line.text.debugDescription)")
                    }
                    if line.kind == .context { out.append(rendered) }
                    next += 1
                }
            }
        }
        out += oldLines[next...]
        return out.joined()
    }

    /// Lines with their newlines.
    static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            current.unicodeScalars.append(scalar)
            if scalar == "\n" { lines.append(current); current = "" }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var row = Array(repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = x == y ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }
}
