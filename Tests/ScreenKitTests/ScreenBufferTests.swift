import Testing

@testable import ScreenKit

@Suite("ScreenBuffer")
struct ScreenBufferTests {
    @Test func putWritesAsciiAndReturnsColumns() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        let bold = Style(attributes: .bold)
        #expect(buffer.put("hello", row: 1, column: 2, style: bold) == 5)
        #expect(buffer.text(ofRow: 1) == "  hello   ")
        #expect(buffer[1, 2] == Cell("h", style: bold))
        #expect(buffer[1, 7] == .blank())
        #expect(buffer.text(ofRow: 0) == String(repeating: " ", count: 10))
    }

    @Test func wideCharactersTakeTwoCellsWithContinuation() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("한글", row: 0, column: 0) == 4)
        #expect(buffer[0, 0].character == "한")
        #expect(buffer[0, 0].isWide)
        #expect(buffer[0, 1].isContinuation)
        #expect(buffer[0, 2].character == "글")
        #expect(buffer[0, 3].isContinuation)
        #expect(buffer[0, 4] == .blank())
        #expect(buffer.text(ofRow: 0) == "한글  ")
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func graphemeClustersStayInOneCell() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        #expect(buffer.put("e\u{301}🇰🇷👨‍👩‍👧", row: 0, column: 0) == 5)
        #expect(buffer[0, 0].character == "e\u{301}")
        #expect(buffer[0, 1].character == "🇰🇷")
        #expect(buffer[0, 3].character == "👨‍👩‍👧")
        #expect(buffer[0, 4].isContinuation)
    }

    @Test func wideCharacterStraddlingMaxWidthBecomesPadding() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.fill(buffer.bounds, with: "x")
        #expect(buffer.put("a한b", row: 0, column: 0, maxWidth: 2) == 2)
        #expect(buffer.text(ofRow: 0) == "a xxxx")
        #expect(!buffer[0, 1].isWide)
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func wideCharacterAtTheRightEdgeBecomesPadding() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        #expect(buffer.put("abcd한", row: 0, column: 0) == 5)
        #expect(buffer.text(ofRow: 0) == "abcd ")
        #expect(buffer.set("漢", row: 0, column: 4) == 1)
        #expect(buffer[0, 4] == .blank())
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func overwritingTheRightHalfBlanksTheLeftHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("한글", row: 0, column: 0)
        buffer.set("x", row: 0, column: 1)
        #expect(buffer.text(ofRow: 0) == " x글  ")
        #expect(buffer[0, 0] == .blank())
        #expect(buffer[0, 2].character == "글")
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func overwritingTheLeftHalfBlanksTheRightHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("한글", row: 0, column: 0)
        buffer.set("y", row: 0, column: 2)
        #expect(buffer.text(ofRow: 0) == "한y   ")
        #expect(!buffer[0, 3].isContinuation)
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func wideOverTwoWideHalvesBlanksBothOuterHalves() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let red = Style(foreground: .red)
        buffer.put("한글", row: 0, column: 0, style: red)
        buffer.put("가", row: 0, column: 1)
        #expect(buffer.text(ofRow: 0) == " 가   ")
        #expect(buffer[0, 0] == .blank(red))
        #expect(buffer[0, 3] == .blank(red))
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func negativeColumnClipsTheStart() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("한글ab", row: 0, column: -1) == 5)
        #expect(buffer.text(ofRow: 0) == " 글ab ")
        #expect(buffer.invariantViolations().isEmpty)
        #expect(buffer.put("abc", row: 0, column: -5) == 0)
    }

    @Test func zeroWidthAndControlCharactersAreSkipped() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("a\u{200B}b\tc\u{7}", row: 0, column: 0) == 3)
        #expect(buffer.text(ofRow: 0) == "abc   ")
    }

    @Test func writesOutsideTheGridAreClipped() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        let before = buffer
        #expect(buffer.put("x", row: -1, column: 0) == 0)
        #expect(buffer.put("x", row: 2, column: 0) == 0)
        #expect(buffer.put("x", row: 0, column: 4) == 0)
        #expect(buffer.set("x", row: 0, column: -1) == 0)
        buffer.fill(Rect(row: 5, column: 5, width: 3, height: 3), with: "#")
        #expect(buffer == before)
        #expect(buffer.put("abcdef", row: 1, column: 2) == 2)
        #expect(buffer.text(ofRow: 1) == "  ab")
    }

    @Test func fillClipsAndPadsWideCharacters() {
        var buffer = ScreenBuffer(width: 6, height: 3)
        buffer.fill(Rect(row: 1, column: 1, width: 3, height: 5), with: "漢")
        #expect(buffer.text(ofRow: 0) == "      ")
        #expect(buffer.text(ofRow: 1) == " 漢   ")
        #expect(buffer.text(ofRow: 2) == " 漢   ")
        #expect(buffer.invariantViolations().isEmpty)
        buffer.clear()
        #expect(buffer == ScreenBuffer(width: 6, height: 3))
    }

    @Test func randomWritesKeepTheWideCharacterInvariant() {
        var generator = SeededGenerator(seed: 42)
        var buffer = ScreenBuffer(width: 13, height: 4)
        for step in 0..<600 {
            let text = (0..<Int.random(in: 1...4, using: &generator))
                .map { _ in sampleClusters.randomElement(using: &generator)! }.joined()
            let row = Int.random(in: -1...4, using: &generator)
            let column = Int.random(in: -3...13, using: &generator)
            let maxWidth = Bool.random(using: &generator) ? Int.random(in: 0...5, using: &generator) : nil
            if step % 7 == 0 {
                let rect = Rect(row: row, column: column, width: Int.random(in: 0...5, using: &generator), height: 2)
                buffer.fill(rect, with: text.first!)
            } else {
                let used = buffer.put(text, row: row, column: column, maxWidth: maxWidth)
                #expect(used <= (maxWidth ?? Int.max))
                #expect(used <= text.displayWidth + 1)
            }
            let problems = buffer.invariantViolations()
            #expect(problems.isEmpty, "step \(step): \(problems)")
            if !problems.isEmpty { break }
        }
    }

    @Test func framesAndLines() {
        var buffer = ScreenBuffer(width: 14, height: 5)
        buffer.drawFrame(Rect(row: 0, column: 0, width: 14, height: 5), box: .rounded, title: "한글 파일 목록")
        buffer.drawDivider(row: 2, column: 0, width: 14)
        buffer.put("Hi", row: 1, column: 1)
        buffer.drawVerticalLine(row: 3, column: 6, length: 1, box: .heavy)
        #expect(buffer.lines() == [
            "╭─ 한글 파… ─╮",
            "│Hi          │",
            "├────────────┤",
            "│     ┃      │",
            "╰────────────╯",
        ])
        #expect(buffer.invariantViolations().isEmpty)
    }

    @Test func tinyFramesAreSkippedOrDrawnWithoutTitle() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        buffer.drawFrame(Rect(row: 0, column: 0, width: 1, height: 2))
        #expect(buffer == ScreenBuffer(width: 4, height: 2))
        buffer.drawFrame(Rect(row: 0, column: 0, width: 4, height: 2), box: .ascii, title: "long")
        #expect(buffer.lines() == ["+--+", "+--+"])
    }
}

extension ScreenBuffer {
    func lines() -> [String] { (0..<height).map { text(ofRow: $0) } }
}
