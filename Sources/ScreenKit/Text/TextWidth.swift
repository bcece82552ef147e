/// Display width of text in terminal columns, computed from Unicode data alone.
///
/// The rules follow what terminals (tmux, xterm, VTE, kitty) do for a grapheme cluster:
/// - East Asian Wide and Fullwidth characters (CJK, Hangul syllables, most emoji) take 2.
/// - An emoji with the emoji presentation selector U+FE0F takes 2; a flag (two regional
///   indicators) takes 2; a ZWJ sequence or skin-tone variant takes the width of its base.
/// - Combining marks, format characters (ZWJ, ZWSP, bidi marks) and controls take 0.
/// - Everything else takes 1.
///
/// It never consults the C locale, so results are the same in tests and in any terminal.
/// Pure and thread-safe.
public enum TextWidth {
    /// The number of columns `character` occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        guard let second = iterator.next() else { return of(first) }
        if isRegionalIndicator(first) && isRegionalIndicator(second) {
            return 2
        }
        let base = of(first)
        if base == 1 && scalars.contains(emojiPresentationSelector) {
            return 2
        }
        return base
    }

    /// The number of columns `scalar` occupies on its own: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }  // DEL and the C1 controls
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .surrogate,
            .lineSeparator, .paragraphSeparator:
            return 0
        default:
            break
        }
        // Hangul medial vowels and final consonants join the preceding leading consonant.
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) {
            return 0
        }
        return isWide(value) ? 2 : 1
    }

    /// The number of columns `text` occupies: the sum over its grapheme clusters.
    public static func of<Text: StringProtocol>(_ text: Text) -> Int {
        var total = 0
        for character in text {
            total += of(character)
        }
        return total
    }

    /// The longest prefix of `text` that fits in `width` columns, and the columns it uses.
    ///
    /// Zero-width characters directly after the cut stay with the prefix.
    public static func prefix(of text: Substring, fitting width: Int) -> (text: Substring, width: Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let next = used + of(text[index])
            if next > width { break }
            used = next
            end = text.index(after: index)
        }
        return (text[text.startIndex..<end], used)
    }

    /// The longest suffix of `text` that fits in `width` columns, and the columns it uses.
    public static func suffix(of text: Substring, fitting width: Int) -> (text: Substring, width: Int) {
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text.index(before: start)
            let next = used + of(text[previous])
            if next > width { break }
            used = next
            start = previous
        }
        return (text[start..<text.endIndex], used)
    }

    private static let emojiPresentationSelector: Unicode.Scalar = "\u{FE0F}"

    private static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }
}

extension Character {
    /// The number of terminal columns this character occupies (see ``TextWidth``).
    public var displayWidth: Int { TextWidth.of(self) }
}

extension StringProtocol {
    /// The number of terminal columns this text occupies (see ``TextWidth``).
    public var displayWidth: Int { TextWidth.of(self) }
}
