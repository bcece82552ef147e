import CNcurses
import Testing

@testable import ScreenKit

@Suite("TextWidth")
struct TextWidthTests {
    @Test(
        "width of strings",
        arguments: [
            ("", 0),
            ("hello", 5),
            ("한글 파일.txt", 13),
            ("\u{1100}\u{1161}", 2),  // conjoining jamo ᄀ + ᅡ: one syllable
            ("漢字", 4),
            ("。「」", 6),  // CJK punctuation is wide
            ("Ａ", 2),  // fullwidth Latin
            ("\u{3000}", 2),  // ideographic space
            ("ｱ", 1),  // halfwidth katakana
            ("Ωж", 2),
            ("กิ", 1),  // Thai consonant + vowel mark
            ("ab한c", 5),
            ("😀", 2),
            ("👍🏽", 2),  // skin-tone modifier
            ("👨‍👩‍👧‍👦", 2),  // ZWJ family
            ("🏳️‍🌈", 2),  // ZWJ with VS16
            ("🇰🇷", 2),
            ("🇺🇸🇯🇵", 4),
            ("❤️", 2),  // emoji presentation selector
            ("❤", 1),  // text presentation by default
            ("✅", 2),
            ("e\u{301}", 1),
            ("e\u{301}\u{302}cole", 5),
            ("\u{301}", 0),  // a lone combining mark
            ("\u{200B}", 0),
            ("\u{200D}", 0),
            ("a\u{200D}b", 2),
            ("\t", 0),
            ("\u{7}", 0),
            ("\r\n", 0),
            ("\u{7F}\u{85}", 0),
        ])
    func widths(text: String, expected: Int) {
        #expect(TextWidth.of(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(text.displayWidth == expected)
    }

    @Test func combiningSequenceIsOneCharacter() {
        let accented = "e\u{301}"
        #expect(accented.count == 1)
        #expect(accented.first!.displayWidth == 1)
        #expect(Character("👨‍👩‍👧‍👦").displayWidth == 2)
    }

    @Test func prefixAndSuffixStopBeforeAWideCharacter() {
        let text = Substring("ab한글")
        #expect(TextWidth.prefix(of: text, fitting: 3) == ("ab", 2))
        #expect(TextWidth.prefix(of: text, fitting: 4) == ("ab한", 4))
        #expect(TextWidth.suffix(of: text, fitting: 3) == ("글", 2))
        #expect(TextWidth.prefix(of: text, fitting: 0) == ("", 0))
    }

    /// The pure-Swift tables must agree with the C library wherever the C library knows a
    /// character and no emoji-presentation rule applies.
    @Test func agreesWithWcwidthOnCommonScripts() {
        guard cn_setup_locale() == 1 else { return }  // no UTF-8 locale: nothing to compare
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0xA1...0xAC, 0xAE...0x24F, 0x300...0x36F, 0x391...0x3C9, 0x400...0x4FF,
            0xE01...0xE3A, 0x1100...0x115F, 0x3041...0x3096, 0x30A1...0x30FA, 0x3000...0x303E,
            0x4E00...0x4FFF, 0xAC00...0xD7A3, 0xFF01...0xFF60, 0xFF61...0xFF9F, 0x1F600...0x1F64F,
        ]
        var disagreements: [String] = []
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let system = Int(cn_wcwidth(value))
                guard system >= 0 else { continue }
                if TextWidth.of(scalar) != system {
                    disagreements.append("U+\(String(value, radix: 16)): \(TextWidth.of(scalar)) vs \(system)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
}

@Suite("TextWidth layout")
struct TextLayoutTests {
    @Test(
        "truncate at the end",
        arguments: [
            ("한글 파일.txt", 13, "한글 파일.txt"),
            ("한글 파일.txt", 20, "한글 파일.txt"),
            ("한글 파일.txt", 12, "한글 파일.t…"),
            ("한글 파일.txt", 6, "한글 …"),
            ("한글 파일.txt", 5, "한글…"),
            ("한글 파일.txt", 4, "한… "),  // 글 would straddle: replaced by padding
            ("한글 파일.txt", 1, "…"),
            ("한글 파일.txt", 0, ""),
            ("hello world", 8, "hello w…"),
            ("e\u{301}cole", 3, "e\u{301}c…"),
            ("👨‍👩‍👧 family", 3, "👨‍👩‍👧…"),
            ("🇰🇷🇯🇵", 3, "🇰🇷…"),
        ])
    func truncateAtEnd(text: String, width: Int, expected: String) {
        let result = TextWidth.truncate(text, toWidth: width)
        #expect(result == expected)
        #expect(result.unicodeScalars.elementsEqual(expected.unicodeScalars))
        #expect(result.displayWidth == min(width, text.displayWidth))
    }

    @Test func truncateInTheMiddleKeepsTheExtension() {
        #expect(TextWidth.truncate("very-long-file-name.txt", toWidth: 12, position: .middle) == "very-l…e.txt")
        #expect(TextWidth.truncate("보고서-최종-최종.hwp", toWidth: 10, position: .middle) == "보고….hwp ")
        #expect(TextWidth.truncate("short.txt", toWidth: 12, position: .middle) == "short.txt")
    }

    @Test func customEllipsis() {
        #expect(TextWidth.truncate("abcdefgh", toWidth: 6, ellipsis: "...") == "abc...")
        #expect(TextWidth.truncate("abcdefgh", toWidth: 2, ellipsis: "...") == "..")
        #expect(TextWidth.truncate("한글파일", toWidth: 5, ellipsis: "") == "한글 ")
    }

    @Test func padAndAlign() {
        #expect(TextWidth.pad("hello", toWidth: 8) == "hello   ")
        #expect(TextWidth.pad("한글", toWidth: 6) == "한글  ")
        #expect(TextWidth.pad("한글", toWidth: 3) == "한…")
        #expect(TextWidth.pad("한글", toWidth: 3, ellipsis: "") == "한 ")
        #expect(TextWidth.rightAlign("42", toWidth: 5) == "   42")
        #expect(TextWidth.rightAlign("1.2 MB", toWidth: 4) == "1.2…")
        #expect(TextWidth.align("ab", toWidth: 5, alignment: .center) == " ab  ")
        #expect(TextWidth.align("한", toWidth: 5, alignment: .center) == " 한  ")
        #expect(TextWidth.pad("x", toWidth: 0) == "")
    }
}
