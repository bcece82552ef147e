/// One column of one row on the screen. Value type, Sendable.
///
/// A cell holds one grapheme cluster (so "é" as e + U+0301 or a flag is a single cell) of
/// width 1 or 2. A wide character occupies its own cell plus the cell to its right, which
/// holds a *continuation* marker: `width == 0`, character `" "`, same style.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster shown; `" "` for blanks and continuations.
    public let character: Character
    /// Colours and attributes.
    public var style: Style
    /// Columns the character occupies: 1 or 2 for a glyph, 0 for a continuation.
    public let width: Int

    /// A cell showing `character`, whose width comes from ``TextWidth``.
    ///
    /// Characters of width 0 (controls, lone combining marks) are not drawable on their own
    /// and become a blank, so nothing unprintable ever reaches the terminal.
    public init(_ character: Character, style: Style = .plain) {
        let width = TextWidth.of(character)
        self.character = width == 0 ? " " : character
        self.style = style
        self.width = width == 0 ? 1 : width
    }

    /// A cell whose width is already known (callers guarantee it matches ``TextWidth``).
    init(character: Character, style: Style, width: Int) {
        self.character = character
        self.style = style
        self.width = width
    }

    /// A blank cell in the given style.
    public static func blank(_ style: Style = .plain) -> Cell {
        Cell(character: " ", style: style, width: 1)
    }

    /// The right half of a wide character, in that character's style.
    public static func continuation(_ style: Style = .plain) -> Cell {
        Cell(character: " ", style: style, width: 0)
    }

    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { width == 0 }

    /// Whether this cell is the left half of a wide character.
    public var isWide: Bool { width == 2 }
}
