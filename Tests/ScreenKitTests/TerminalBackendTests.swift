import Testing

@testable import ScreenKit

@Suite("Terminal backend pieces")
struct TerminalBackendTests {
    /// glibc 2.36's view: regional indicators and U+2764 narrow, emoji newer than Unicode 14
    /// unknown (-1), everything else as TextWidth says.
    private static func glibcLike(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1F1E6...0x1F1FF, 0x2764: return 1
        case 0x1FAE8: return -1
        default: return TextWidth.of(scalar)
        }
    }

    private func pieces(_ character: Character) -> [[String]] {
        TerminalGlyph.pieces(for: Cell(character), maxScalars: 5, systemWidth: Self.glibcLike)
            .map { ["\($0.offset)", String(String.UnicodeScalarView($0.scalars))] }
    }

    @Test func glyphsTheCLibraryAgreesWithGoThroughWhole() {
        #expect(pieces("a") == [["0", "a"]])
        #expect(pieces("한") == [["0", "한"]])
        #expect(pieces("e\u{301}") == [["0", "e\u{301}"]])
        #expect(pieces("e\u{301}\u{20DD}") == [["0", "e\u{301}\u{20DD}"]])
    }

    @Test func disagreementsAreSplitToKeepColumnsAligned() {
        #expect(pieces("🇰🇷") == [["0", "🇰"], ["1", "🇷"]])
        #expect(pieces("❤️") == [["0", "❤"], ["1", " "]])
        #expect(pieces("👨‍👩‍👧") == [["0", "👨"]])  // the joiner and the rest would drift
        #expect(pieces("👍🏽") == [["0", "👍"]])  // ncurses takes no second spacing character
        #expect(pieces("🫨") == [["0", "\u{FFFD}"], ["1", " "]])
        #expect(TerminalGlyph.pieces(for: .continuation(), maxScalars: 5, systemWidth: Self.glibcLike).isEmpty)
    }

    @Test func tooManyMarksAreCappedAndNonUTF8LocalesGetAQuestionMark() {
        let stacked = Cell("a\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}")
        #expect(TerminalGlyph.pieces(for: stacked, maxScalars: 5, systemWidth: Self.glibcLike)[0].scalars.count == 5)
        let cLocale = TerminalGlyph.pieces(for: Cell("한"), maxScalars: 5) { $0.isASCII ? 1 : -1 }
        #expect(cLocale == [TerminalGlyph(offset: 0, scalars: ["?"]), TerminalGlyph(offset: 1, scalars: [" "])])
    }

    @Test func colorsApproximateIntoSmallPalettes() {
        #expect(Color.indexed(196).approximated(toPaletteSize: 256) == .indexed(196))
        #expect(Color.indexed(196).approximated(toPaletteSize: 16) == .indexed(9))
        #expect(Color.indexed(196).approximated(toPaletteSize: 8) == .indexed(1))
        #expect(Color.indexed(232).approximated(toPaletteSize: 16) == .black)
        #expect(Color.indexed(255).approximated(toPaletteSize: 16) == .white)
        #expect(Color.indexed(12).approximated(toPaletteSize: 8) == .blue)
        #expect(Color.indexed(5).approximated(toPaletteSize: 8) == .magenta)
        #expect(Color.indexed(5).approximated(toPaletteSize: 0) == .default)
        #expect(Color.default.approximated(toPaletteSize: 8) == .default)
        #expect(Color.rgb(255, 0, 0) == .indexed(196))
        #expect(Color.rgb(0, 0, 0) == .indexed(16))
        #expect(Color.rgb(100, 140, 180) == .indexed(67))
    }

    @Test func colorPairsAreAllocatedOnceAndCached() {
        var table = ColorPairTable(limit: 4)
        var defined: [[Int32]] = []
        func pair(_ style: Style, palette: Int = 256, defaults: Bool = true) -> Int {
            table.pair(for: style, paletteSize: palette, defaultColors: defaults) { number, fg, bg in
                defined.append([number, fg, bg])
                return true
            }
        }
        #expect(pair(.plain) == 0)
        #expect(pair(Style(attributes: .bold)) == 0)
        #expect(pair(Style(foreground: .red)) == 1)
        #expect(pair(Style(foreground: .red, attributes: .underline)) == 1)
        #expect(pair(Style(foreground: .indexed(200), background: .blue)) == 2)
        #expect(pair(Style(background: .green)) == 3)
        #expect(pair(Style(background: .yellow)) == 0)  // out of pairs: default, not recolouring
        #expect(defined == [[1, 1, -1], [2, 200, 4], [3, -1, 2]])
        #expect(pair(Style(foreground: .red), palette: 0) == 0)
    }

    @Test func withoutDefaultColorsWhiteOnBlackIsPairZero() {
        var table = ColorPairTable(limit: 64)
        var defined: [[Int32]] = []
        let plain = table.pair(for: .plain, paletteSize: 8, defaultColors: false) { _, _, _ in true }
        let red = table.pair(for: Style(foreground: .indexed(160)), paletteSize: 8, defaultColors: false) {
            defined.append([$0, $1, $2])
            return true
        }
        #expect(plain == 0)
        #expect(red == 1)
        #expect(defined == [[1, 1, 0]])
    }

    @Test func styleDescriptionsAreCompact() {
        #expect(Style.plain.description == "plain")
        #expect(Style(foreground: .red, background: .indexed(236), attributes: [.bold, .italic]).description == "fg=1 bg=236 bold,italic")
    }
}
