import Foundation
import Testing
import TextMerge

/// Lines are bytes with their endings: splitting and joining gives the input back exactly.
@Suite struct LineTests {
    @Test func splitKeepsEndingsAndJoinRestoresTheBytes() {
        let texts = ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\r\n\r\nb", "\n\n\n", "a\rb\n", "회의록\n참석: 민지"]
        for text in texts {
            let lines = Line.split(Data(text.utf8))
            #expect(Line.join(lines) == Data(text.utf8), "\(text.debugDescription)")
            #expect(lines == Line.split(text))
            #expect(lines.dropLast().allSatisfy { $0.hasNewline }, "\(text.debugDescription)")
        }
        #expect(Line.split("a\r\nb").map(\.bytes).map(Array.init) == [Array("a\r\n".utf8), Array("b".utf8)])
        #expect(Line.split("").isEmpty)
        #expect(Line.split("\n\n").count == 2)
        #expect(Line.split("a\rb\n").count == 1) // a lone "\r" does not end a line
    }

    @Test func endingsAndTextOfALine() {
        #expect(Line("a\r\n").endsWithCRLF && Line("a\r\n").hasNewline && Line("a\r\n").text == "a\r")
        #expect(!Line("a\n").endsWithCRLF && Line("a\n").text == "a")
        #expect(!Line("a").hasNewline && !Line("\r").endsWithCRLF && Line("a").text == "a")
        #expect(Line("한글\n").text == "한글")
    }

    /// Equal bytes are equal lines, whatever array they were cut from; anything else differs.
    @Test func linesCompareAsBytes() {
        let first = Line.split("x\ny\n"), second = Line.split("y\nx\n")
        #expect(first[0] == second[1] && first[0].hashValue == second[1].hashValue)
        #expect(Line("a\n") != Line("a\r\n"))
        #expect(Line("a\n") != Line("a"))
        #expect(Line("한\n") != Line("\u{1112}\u{1161}\u{11AB}\n")) // NFC and NFD
        #expect(Set(Line.split("a\na\nb\na")).count == 3)
    }
}
