/// What to send to a terminal library for one cell, given the C library's idea of widths.
///
/// ncurses lays out text by `wcwidth`, which can disagree with ``TextWidth`` (flags, emoji
/// with U+FE0F, emoji newer than the C library). If ncurses thought a cell were narrower
/// or wider than the buffer does, every later cell in the row would shift. So a cell whose
/// widths disagree is sent as pieces that add up to exactly the buffer's width. Pure.
struct TerminalGlyph: Equatable {
    /// Column offset within the cell (0, or 1 for the right half of a wide cell).
    var offset: Int
    /// The code points drawn in that column: a base plus any combining marks.
    var scalars: [Unicode.Scalar]

    /// The pieces for `cell`. `systemWidth` is the C library's `wcwidth`; `maxScalars` the
    /// most code points one ncurses cell holds (`CCHARW_MAX`).
    static func pieces(
        for cell: Cell, maxScalars: Int, systemWidth: (Unicode.Scalar) -> Int
    ) -> [TerminalGlyph] {
        let scalars = Array(cell.character.unicodeScalars)
        guard let base = scalars.first, !cell.isContinuation else { return [] }
        let baseWidth = systemWidth(base)
        if baseWidth == cell.width {
            // Keep the combining marks the C library also sees as zero-width. A joiner is
            // dropped with everything after it: a dangling ZWJ would glue onto the next cell.
            var kept = [base]
            for scalar in scalars.dropFirst() {
                guard kept.count < maxScalars, scalar != zeroWidthJoiner, systemWidth(scalar) == 0 else { break }
                kept.append(scalar)
            }
            return [TerminalGlyph(offset: 0, scalars: kept)]
        }
        if cell.width == 2 {
            // A flag: two regional indicators of width 1 each, side by side.
            let narrow = scalars.filter { systemWidth($0) == 1 }
            if narrow.count == 2 && narrow.count == scalars.count {
                return [TerminalGlyph(offset: 0, scalars: [narrow[0]]), TerminalGlyph(offset: 1, scalars: [narrow[1]])]
            }
            // An emoji the C library sees in text presentation: the glyph, then a space.
            if baseWidth == 1 {
                return [TerminalGlyph(offset: 0, scalars: [base]), TerminalGlyph(offset: 1, scalars: [" "])]
            }
        }
        // Unknown to the C library (or wider than the buffer thinks): a replacement mark,
        // plain "?" when even U+FFFD is unprintable (a locale that is not UTF-8).
        let mark = systemWidth(replacementCharacter) == 1 ? replacementCharacter : "?"
        var replacement = [TerminalGlyph(offset: 0, scalars: [mark])]
        if cell.width == 2 {
            replacement.append(TerminalGlyph(offset: 1, scalars: [" "]))
        }
        return replacement
    }

    private static let zeroWidthJoiner: Unicode.Scalar = "\u{200D}"
    private static let replacementCharacter: Unicode.Scalar = "\u{FFFD}"
}
