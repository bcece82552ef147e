import Foundation
import Testing
import TextMerge

/// The diff3 merge: one-sided and identical changes are taken, overlapping and adjacent ones
/// conflict; resolutions and markers are checked byte for byte (the marker texts are what
/// `git merge-file --diff3 -p -L mine -L base -L theirs` writes for the same inputs).
@Suite struct Merge3Tests {
    static let numbers = "1\n2\n3\n4\n5\n6\n7\n"

    @Test func nonOverlappingEditsMergeCleanly() {
        let result = merge(Self.numbers, "1\ntwo\n3\n4\n5\n6\n7\n", "1\n2\n3\n4\n5\nsix\n7\n")
        #expect(result.isClean && result.conflictCount == 0)
        #expect(text(result) == "1\ntwo\n3\n4\n5\nsix\n7\n")
        #expect(result.chunks == [.clean(Line.split("1\ntwo\n3\n4\n5\nsix\n7\n"))]) // one chunk, not seven
        #expect(markers(result) == "1\ntwo\n3\n4\n5\nsix\n7\n")
    }

    @Test func identicalEditsAreTakenOnce() {
        let both = "1\n2\nthree\n4\n5\nnew\n6\n7\n"
        let result = merge(Self.numbers, both, both)
        #expect(result.isClean)
        #expect(text(result) == both)
        // The same line deleted on both sides is deleted once, next to a one-sided edit.
        let deleted = merge(Self.numbers, "1\n2\n3\n5\n6\nseven\n", "1\n2\n3\n5\n6\n7\n")
        #expect(deleted.isClean)
        #expect(text(deleted) == "1\n2\n3\n5\n6\nseven\n")
    }

    @Test func aChangeOnOneSideOnlyIsTaken() {
        let edited = "0\n1\nTWO\n3\n5\n6\n7\neight\n"
        #expect(text(merge(Self.numbers, edited, Self.numbers)) == edited)
        #expect(text(merge(Self.numbers, Self.numbers, edited)) == edited)
        #expect(merge(Self.numbers, Self.numbers, edited).isClean)
    }

    @Test func insertionsAtStartAndEnd() {
        #expect(text(merge("1\n2\n3\n", "0\n1\n2\n3\n", "1\n2\n3\n4\n")) == "0\n1\n2\n3\n4\n")
        #expect(text(merge("1\n2\n3\n", "1\n2\n3\n4\n", "0\n1\n2\n3\n")) == "0\n1\n2\n3\n4\n")
        // Different insertions at the very start conflict, over no base lines.
        let start = merge("1\n2\n", "a\n1\n2\n", "b\n1\n2\n")
        #expect(start.conflicts.map(Shape.init) == [Shape(base: "", mine: "a\n", theirs: "b\n", at: 0..<0, 0..<1, 0..<1)])
        #expect(markers(start) == "<<<<<<< mine\na\n||||||| base\n=======\nb\n>>>>>>> theirs\n1\n2\n")
        let end = merge("1\n2\n", "1\n2\na\n", "1\n2\nb\n")
        #expect(end.conflicts.map(Shape.init) == [Shape(base: "", mine: "a\n", theirs: "b\n", at: 2..<2, 2..<3, 2..<3)])
        #expect(markers(end) == "1\n2\n<<<<<<< mine\na\n||||||| base\n=======\nb\n>>>>>>> theirs\n")
    }

    @Test func deleteAgainstEditConflicts() {
        let result = merge("a\nb\nc\n", "a\nc\n", "a\nB\nc\n")
        #expect(result.conflictCount == 1 && !result.isClean)
        #expect(result.chunks.map(\.isConflict) == [false, true, false])
        #expect(result.chunks.first == .clean([Line("a\n")]) && result.chunks.last == .clean([Line("c\n")]))
        #expect(result.conflicts.map(Shape.init) == [Shape(base: "b\n", mine: "", theirs: "B\n", at: 1..<2, 1..<1, 1..<2)])
        #expect(markers(result) == "a\n<<<<<<< mine\n||||||| base\nb\n=======\nB\n>>>>>>> theirs\nc\n")
    }

    @Test func differentLinesAddedAtOnePlaceConflict() {
        let result = merge("a\nc\n", "a\nb1\nc\n", "a\nb2\nb3\nc\n")
        #expect(result.conflicts.map(Shape.init) == [Shape(base: "", mine: "b1\n", theirs: "b2\nb3\n", at: 1..<1, 1..<2, 1..<3)])
        #expect(markers(result) == "a\n<<<<<<< mine\nb1\n||||||| base\n=======\nb2\nb3\n>>>>>>> theirs\nc\n")
    }

    /// With no unchanged line between them, edits of neighbouring lines are one region (git
    /// does the same).
    @Test func editsOfAdjacentLinesConflict() {
        let result = merge("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n")
        #expect(result.conflicts.map(Shape.init) == [Shape(base: "b\nc\n", mine: "B\nc\n", theirs: "b\nC\n", at: 1..<3, 1..<3, 1..<3)])
        #expect(merge("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n").isClean) // one line between
    }

    @Test func conflictsInSeveralPlaces() {
        let base = "head\none\nkeep 1\ntwo\nkeep 2\nkeep 3\nthree\nkeep 4\nfour\n"
        let mine = "head\nONE\nkeep 1\nTWO mine\nkeep 2\nkeep 3\nthree mine\nkeep 4\nfour\n"
        let theirs = "HEAD\nuno\nkeep 1\nTWO theirs\nkeep 2\nkeep 3\nthree theirs\nkeep 4\nFOUR\n"
        // The first conflict takes in "head": theirs changed it right next to both changes of "one".
        let result = merge(base, mine, theirs)
        #expect(result.conflictCount == 3)
        #expect(result.conflicts.map(\.baseRange) == [0..<2, 3..<4, 6..<7])
        #expect(result.chunks.map(\.isConflict) == [true, false, true, false, true, false])
        #expect(text(result, [.mine, .theirs, .base]) == "head\nONE\nkeep 1\nTWO theirs\nkeep 2\nkeep 3\nthree\nkeep 4\nFOUR\n")
        #expect(markers(result, mine: "laptop", theirs: "phone") == """
            <<<<<<< laptop
            head
            ONE
            ||||||| base
            head
            one
            =======
            HEAD
            uno
            >>>>>>> phone
            keep 1
            <<<<<<< laptop
            TWO mine
            ||||||| base
            two
            =======
            TWO theirs
            >>>>>>> phone
            keep 2
            keep 3
            <<<<<<< laptop
            three mine
            ||||||| base
            three
            =======
            three theirs
            >>>>>>> phone
            keep 4
            FOUR

            """)
    }

    @Test func eachChoiceResolvesToExactBytes() {
        let result = merge("a\nb\nc\n", "a\nmine 1\nmine 2\nc\n", "a\ntheirs\nc\n")
        #expect(text(result, [.mine]) == "a\nmine 1\nmine 2\nc\n")
        #expect(text(result, [.theirs]) == "a\ntheirs\nc\n")
        #expect(text(result, [.both]) == "a\nmine 1\nmine 2\ntheirs\nc\n")
        #expect(text(result, [.base]) == "a\nb\nc\n")
        #expect(text(result, [.custom(Line.split("x\r\ny\n"))]) == "a\nx\r\ny\nc\n")
        #expect(text(result, [.custom([])]) == "a\nc\n")
        #expect(markers(result, mine: "", base: "", theirs: "") == "a\n<<<<<<<\nmine 1\nmine 2\n|||||||\nb\n=======\ntheirs\n>>>>>>>\nc\n")
    }

    @Test func crlfLinesArePreserved() {
        let base = "1\r\n2\r\n3\r\n4\r\n5\r\n"
        #expect(text(merge(base, "1\r\ntwo\r\n3\r\n4\r\n5\r\n", "1\r\n2\r\n3\r\nfour\r\n5\r\n")) == "1\r\ntwo\r\n3\r\nfour\r\n5\r\n")
        // An ending changed from CRLF to LF is a change of that line.
        #expect(text(merge(base, "1\r\n2\n3\r\n4\r\n5\r\n", base)) == "1\r\n2\n3\r\n4\r\n5\r\n")
        let result = merge(base, "1\r\n2\r\nmine\r\n4\r\n5\r\n", "1\r\n2\r\ntheirs\r\n4\r\n5\r\n")
        #expect(markers(result) == "1\r\n2\r\n<<<<<<< mine\r\nmine\r\n||||||| base\r\n3\r\n=======\r\ntheirs\r\n>>>>>>> theirs\r\n4\r\n5\r\n")
        #expect(text(result, [.both]) == "1\r\n2\r\nmine\r\ntheirs\r\n4\r\n5\r\n")
        // Markers follow the line before the conflict, or its first line; where the sides
        // disagree, LF.
        let mixed = merge(base, "one\n2\r\n3\r\n4\r\n5\r\n", "uno\r\n2\r\n3\r\n4\r\n5\r\n")
        #expect(markers(mixed) == "<<<<<<< mine\none\n||||||| base\n1\r\n=======\nuno\r\n>>>>>>> theirs\n2\r\n3\r\n4\r\n5\r\n")
    }

    @Test func aLastLineWithoutNewlineIsPreserved() {
        #expect(text(merge("a\nb\nc", "A\nb\nc", "a\nb\nc")) == "A\nb\nc")
        #expect(text(merge("a\nb\nc", "A\nb\nc", "a\nb\nc\n")) == "A\nb\nc\n") // theirs ended the file
        #expect(text(merge("a\nb\nc\n", "a\nb\nc", "A\nb\nc\n")) == "A\nb\nc") // mine dropped the newline
        let result = merge("a\nb\nc", "a\nb\nmine", "a\nb\ntheirs")
        #expect(result.conflicts.map(Shape.init) == [Shape(base: "c", mine: "mine", theirs: "theirs", at: 2..<3, 2..<3, 2..<3)])
        #expect(markers(result) == "a\nb\n<<<<<<< mine\nmine\n||||||| base\nc\n=======\ntheirs\n>>>>>>> theirs\n")
        #expect(text(result, [.mine]) == "a\nb\nmine")
        #expect(text(result, [.theirs]) == "a\nb\ntheirs")
        #expect(text(result, [.both]) == "a\nb\nmine\ntheirs")
        #expect(text(result, [.base]) == "a\nb\nc")
        let crlf = merge("a\r\nb", "a\r\nmine", "a\r\ntheirs")
        #expect(markers(crlf) == "a\r\n<<<<<<< mine\r\nmine\r\n||||||| base\r\nb\r\n=======\r\ntheirs\r\n>>>>>>> theirs\r\n")
        #expect(text(crlf, [.both]) == "a\r\nmine\r\ntheirs")
    }

    @Test func emptyFiles() {
        let empty = merge("", "", "")
        #expect(empty.chunks.isEmpty && empty.isClean && text(empty) == "" && markers(empty) == "")
        #expect(text(merge("", "new\n", "")) == "new\n")
        #expect(text(merge("", "", "new\n")) == "new\n")
        #expect(text(merge("", "same\n", "same\n")) == "same\n")
        #expect(merge("", "a\n", "b\n").conflicts.map(Shape.init) == [Shape(base: "", mine: "a\n", theirs: "b\n", at: 0..<0, 0..<1, 0..<1)])
        let cleared = merge("a\nb\n", "", "")
        #expect(cleared.isClean && cleared.chunks.isEmpty && text(cleared) == "")
        #expect(text(merge("a\nb\n", "", "a\nb\n")) == "")
        let clearedAgainstEdit = merge("a\nb\n", "", "a\nB\n")
        #expect(clearedAgainstEdit.conflicts.map(Shape.init) == [Shape(base: "a\nb\n", mine: "", theirs: "a\nB\n", at: 0..<2, 0..<0, 0..<2)])
        #expect(markers(clearedAgainstEdit) == "<<<<<<< mine\n||||||| base\na\nb\n=======\na\nB\n>>>>>>> theirs\n")
    }

    /// Git's test: a NUL byte or invalid UTF-8 in the first 8 KiB of any of the three.
    @Test func binaryContentIsNotMerged() {
        let text = Data("a\nb\n".utf8)
        #expect(Merge3.merge(base: Data("a\0b\n".utf8), mine: text, theirs: text) == .binary)
        #expect(Merge3.merge(base: text, mine: Data([0x61, 0xFF, 0x0A]), theirs: text) == .binary)
        #expect(Merge3.merge(base: text, mine: text, theirs: Data([0xC0, 0xAF])) == .binary)
        var late = Data(repeating: UInt8(ascii: "a"), count: 8192)
        late.append(contentsOf: [0x0A, 0, 0x0A])
        #expect(Merge3.merge(base: text, mine: late, theirs: text) != .binary) // past 8 KiB: text
        #expect(Merge3.merge(base: text, mine: text, theirs: Data("a\nB\n".utf8))
            == .text(Merge3.merge(base: Line.split(text), mine: Line.split(text), theirs: Line.split("a\nB\n"))))
        #expect(Merge3.merge(base: Data(), mine: Data(), theirs: Data()) == .text(Merge3.merge(base: [], mine: [], theirs: [])))
    }

    @Test func koreanText() {
        let base = "# 회의록\n\n참석: 민지, Alice\n\n## 안건\n1. 릴리스\n2. 압축\n3. 데모\n\n## 할 일\n- [ ] 민지: 노트\n- [ ] Bob: tmux\n"
        let mine = "# 회의록\n\n참석: 민지, Alice, 준호\n\n## 안건\n1. 릴리스\n2. 압축\n3. 데모\n\n## 할 일\n- [ ] 민지: 노트\n- [ ] Bob: tmux\n"
        let theirs = "# 회의록\n\n참석: 민지, Alice\n\n## 안건\n1. 릴리스\n2. 압축\n3. 데모\n\n## 할 일\n- [x] 민지: 노트\n- [ ] Bob: tmux\n- [ ] 준호: 테스트\n"
        let clean = merge(base, mine, theirs)
        #expect(clean.isClean)
        #expect(text(clean) == "# 회의록\n\n참석: 민지, Alice, 준호\n\n## 안건\n1. 릴리스\n2. 압축\n3. 데모\n\n## 할 일\n- [x] 민지: 노트\n- [ ] Bob: tmux\n- [ ] 준호: 테스트\n")

        let other = base.replacingOccurrences(of: "참석: 민지, Alice", with: "참석: 민지, Alice, 서연")
        let conflicted = merge(base, mine, other)
        #expect(conflicted.conflicts.map(\.baseRange) == [2..<3])
        #expect(markers(conflicted, mine: "노트북", theirs: "휴대폰").starts(with: """
            # 회의록

            <<<<<<< 노트북
            참석: 민지, Alice, 준호
            ||||||| base
            참석: 민지, Alice
            =======
            참석: 민지, Alice, 서연
            >>>>>>> 휴대폰

            ## 안건

            """))
        // NFD spelling of "준호" is another line, not the same edit.
        let nfd = base.replacingOccurrences(of: "Alice\n", with: "Alice, \u{110C}\u{116E}\u{11AB}\u{1112}\u{1169}\n")
        #expect(merge(base, mine, nfd).conflictCount == 1)
    }

    // MARK: Helpers

    func merge(_ base: String, _ mine: String, _ theirs: String) -> MergeResult {
        guard case .text(let result) = Merge3.merge(base: Data(base.utf8), mine: Data(mine.utf8), theirs: Data(theirs.utf8)) else {
            Issue.record("text merged as binary")
            return Merge3.merge(base: [], mine: [], theirs: [])
        }
        return result
    }

    /// The merge resolved as `choices` says, as text. A miscount fails the test (showing the
    /// markers) where `resolved` would trap.
    func text(_ result: MergeResult, _ choices: [MergeResult.Choice] = []) -> String {
        guard choices.count == result.conflictCount else {
            Issue.record("\(result.conflictCount) conflicts for \(choices.count) choices")
            return markers(result)
        }
        return String(decoding: result.resolved(choices: choices), as: UTF8.self)
    }

    func markers(_ result: MergeResult, mine: String = "mine", base: String = "base", theirs: String = "theirs") -> String {
        String(decoding: result.withMarkers(mineLabel: mine, baseLabel: base, theirsLabel: theirs), as: UTF8.self)
    }
}

/// A conflict's lines as text and its ranges, to compare with what a test expects.
struct Shape: Equatable, CustomStringConvertible {
    var base: String, mine: String, theirs: String
    var ranges: [Range<Int>]

    init(base: String, mine: String, theirs: String, at baseRange: Range<Int>, _ mineRange: Range<Int>, _ theirsRange: Range<Int>) {
        self.base = base
        self.mine = mine
        self.theirs = theirs
        ranges = [baseRange, mineRange, theirsRange]
    }

    init(_ conflict: MergeResult.Conflict) {
        func text(_ lines: [Line]) -> String { String(decoding: Line.join(lines), as: UTF8.self) }
        self.init(base: text(conflict.base), mine: text(conflict.mine), theirs: text(conflict.theirs),
                  at: conflict.baseRange, conflict.mineRange, conflict.theirsRange)
    }

    var description: String { "base \(base.debugDescription) mine \(mine.debugDescription) theirs \(theirs.debugDescription) at \(ranges)" }
}

extension MergeResult.Chunk {
    var isConflict: Bool {
        if case .conflict = self { true } else { false }
    }
}
