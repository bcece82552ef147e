import Foundation
import Testing

/// The screen readers the end-to-end tests rely on, on known screens: they measure in display
/// columns, and they do report a misaligned column, a torn frame or a line wider than the
/// terminal (so the end-to-end tests can fail).
@Suite struct TUIEndToEndScreenCheckTests {
    /// /문서 of the demo at 100×30, as tmux captured it.
    static let documents = """
         Cairn  minji @ /tmp/demo                                                          sync —  inbox —
          1 My Drive   2 Versions   3 Trash   4 Storage   5 Help   6 Shared with me   7 Shared by me
        ╭─ My Drive › 문서 ────────────────────────────────────────────────╮╭─ Details ────────────────────╮
        │ Name ↑                     Size Modified         By          Ver ││ name      alice 메모.md      │
        │ alice 메모.md              51 B 2026-11-26 15:46 alice         1 ││ path      /문서/alice 메모.… │
        │ 빈 파일.txt                 0 B 2026-11-14 10:46 minji         1 ││ kind      file               │
        │ 예산.csv                  128 B 2026-11-16 11:46 minji         2 ││ size      51 B (51 bytes)    │
        │ 회의록.md                 712 B 2026-11-26 14:46 minji         4 ││ versions  1                  │
        │                                                                  ││ head      v1                 │
        │                                                                  ││ digest    a50debbd95920e79…  │
        │                                                                  ││ blocks    1: 0 new, 1 shared │
        │                                                                  ││ stored    see Storage (4)    │
        │                                                                  ││ owner     minji              │
        │                                                                  ││ role      owner              │
        │                                                                  ││ created   2026-11-26 15:46   │
        │                                                                  ││ modified  2026-11-26 15:46   │
        │                                                                  ││ by        alice              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        │                                                                  ││                              │
        ╰──────────────────────────────────────────────────────────────────╯╰──────────────────────────────╯
         4 items · sorted by name ↑
         Enter open  h up  / filter  o sort  v versions  a add  D download  n new folder  R rename  m move
        """

    static func replacing(_ old: String, with new: String) -> Screen {
        precondition(documents.contains(old))
        return Screen(documents.replacingOccurrences(of: old, with: new))
    }

    @Test func displayWidths() {
        #expect(TerminalText.width("회의록.md") == 9)
        #expect(TerminalText.width("alice 메모.md") == 13)
        #expect(TerminalText.width("…↑│╭") == 4)
        #expect(TerminalText.width("e\u{301}") == 1) // e + combining acute
        #expect(TerminalText.width("📁") == 2)
        #expect(TerminalText.width("ｶﾅ") == 2) // halfwidth katakana
        #expect(TerminalText.width("ＡＢ") == 4) // fullwidth latin
        let line = ScreenLine("│ 회의록.md  712 B")
        #expect(line.width == 18)
        #expect(line.column(of: "712") == 13)
        #expect(line[3] == "" && line.isInsideWideCharacter(3) && line[4] == "의")
        #expect(line.text(2..<5) == "회") // a wide character cut by the end is dropped
    }

    @Test func aWholeScreenHasNoProblems() throws {
        let screen = Screen(Self.documents)
        #expect(UIFrame.problems(screen, width: 100, height: 30) == [])
        let listing = try #require(Listing(screen))
        #expect(listing.names == ["alice 메모.md", "빈 파일.txt", "예산.csv", "회의록.md"])
        #expect(listing.problems == [])
        #expect((listing.rightBorder, listing.sizeEnd, listing.modifiedStart, listing.byStart) == (67, 33, 34, 51))
        #expect(listing.nameEnd(listing.rows[3]) == 11)
    }

    /// Hangul padded as if each syllable took one column: everything right of the name moves.
    @Test func findsColumnsMeasuredInCharacters() throws {
        let screen = Self.replacing("│ 회의록.md                 712 B", with: "│ 회의록.md                    712 B")
        let problems = try #require(Listing(screen)).problems
        #expect(problems.contains { $0.contains("modified time does not start at column 34") }, "\(problems)")
        #expect(problems.contains { $0.contains("size does not end") }, "\(problems)")
        #expect(problems.contains { $0.contains("borders") }, "\(problems)")
        #expect(!UIFrame.problems(screen, width: 100, height: 30).isEmpty)
    }

    @Test func findsANameRunningIntoTheSizeColumn() throws {
        let screen = Self.replacing("│ 예산.csv                  128 B", with: "│ 예산예산예산예산예산예산.csv 128 B")
        let problems = try #require(Listing(screen)).problems
        #expect(problems.contains { $0.contains("into the size column") }, "\(problems)")
    }

    @Test func findsGarbageInTheFrame() {
        let wide = Self.replacing("│ by        alice              │", with: "│ by        alice              │ left over")
        #expect(UIFrame.problems(wide, width: 100, height: 30).contains { $0.contains("columns wide on a 100-column terminal") })
        let torn = Self.replacing("│ role      owner              │", with: "│ role      owner")
        #expect(UIFrame.problems(torn, width: 100, height: 30).contains { $0.contains("not framed") })
        let stray = Self.replacing(" 4 items · sorted by name ↑", with: " 4 items · sorted by name ↑ │")
        #expect(UIFrame.problems(stray, width: 100, height: 30).contains { $0.contains("bits of a border") })
        // The same screen read as 80×24 is not a whole frame.
        #expect(!UIFrame.problems(Screen(Self.documents), width: 80, height: 24).isEmpty)
    }

    /// What the resize test accepts as a missed resize (a known issue): the old frame as tmux
    /// keeps it, and nothing else.
    @Test func tellsAMissedResizeFromGarbage() {
        let old = Screen(Self.documents)
        let cut = old.lines.suffix(24).map { $0.text(0..<80) }
        #expect(TUIEndToEndTests.isStale(Screen(cut.joined(separator: "\n")), of: old, width: 80))
        let padded = old.lines.map(\.text) + Array(repeating: "", count: 30)
        #expect(TUIEndToEndTests.isStale(Screen(padded.joined(separator: "\n")), of: old, width: 200))
        var garbled = cut
        garbled[10] = String(garbled[10].dropLast()) + "x"
        #expect(!TUIEndToEndTests.isStale(Screen(garbled.joined(separator: "\n")), of: old, width: 80))
        #expect(!TUIEndToEndTests.isStale(Self.replacing("회의록.md  ", with: "회의록.txt "), of: old, width: 100))
    }
}
