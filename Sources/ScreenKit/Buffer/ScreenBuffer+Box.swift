/// The characters of one family of box-drawing lines. Value type, Sendable.
public struct BoxStyle: Hashable, Sendable {
    /// ─
    public var horizontal: Character
    /// │
    public var vertical: Character
    /// ┌
    public var topLeft: Character
    /// ┐
    public var topRight: Character
    /// └
    public var bottomLeft: Character
    /// ┘
    public var bottomRight: Character
    /// ├ (a vertical line with a branch to the right)
    public var teeRight: Character
    /// ┤ (a vertical line with a branch to the left)
    public var teeLeft: Character

    /// Creates a box style from its eight characters, in the order of ``light``'s "─│┌┐└┘├┤".
    public init(_ characters: String) {
        let all = Array(characters)
        precondition(all.count == 8, "BoxStyle needs 8 characters, got \(all.count)")
        (horizontal, vertical, topLeft, topRight) = (all[0], all[1], all[2], all[3])
        (bottomLeft, bottomRight, teeRight, teeLeft) = (all[4], all[5], all[6], all[7])
    }

    /// Thin lines.
    public static let light = BoxStyle("─│┌┐└┘├┤")
    /// Thin lines with rounded corners.
    public static let rounded = BoxStyle("─│╭╮╰╯├┤")
    /// Thick lines.
    public static let heavy = BoxStyle("━┃┏┓┗┛┣┫")
    /// Double lines.
    public static let double = BoxStyle("═║╔╗╚╝╠╣")
    /// Plain ASCII, for terminals without line-drawing glyphs.
    public static let ascii = BoxStyle("-|++++++")
}

extension ScreenBuffer {
    /// Draws a horizontal line of `length` columns starting at a position.
    public mutating func drawHorizontalLine(
        row: Int, column: Int, length: Int, box: BoxStyle = .light, style: Style = .plain
    ) {
        fill(Rect(row: row, column: column, width: length, height: 1), with: box.horizontal, style: style)
    }

    /// Draws a vertical line of `length` rows starting at a position.
    public mutating func drawVerticalLine(
        row: Int, column: Int, length: Int, box: BoxStyle = .light, style: Style = .plain
    ) {
        fill(Rect(row: row, column: column, width: 1, height: length), with: box.vertical, style: style)
    }

    /// Draws the border of `rect` (its interior is left untouched), with an optional title
    /// set into the top edge as `┌─ Title ───┐`, truncated with an ellipsis to fit.
    public mutating func drawFrame(
        _ rect: Rect, box: BoxStyle = .light, style: Style = .plain,
        title: String? = nil, titleStyle: Style? = nil
    ) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let bottom = rect.maxRow - 1
        let right = rect.maxColumn - 1
        drawHorizontalLine(row: rect.row, column: rect.column + 1, length: rect.width - 2, box: box, style: style)
        drawHorizontalLine(row: bottom, column: rect.column + 1, length: rect.width - 2, box: box, style: style)
        drawVerticalLine(row: rect.row + 1, column: rect.column, length: rect.height - 2, box: box, style: style)
        drawVerticalLine(row: rect.row + 1, column: right, length: rect.height - 2, box: box, style: style)
        set(box.topLeft, row: rect.row, column: rect.column, style: style)
        set(box.topRight, row: rect.row, column: right, style: style)
        set(box.bottomLeft, row: bottom, column: rect.column, style: style)
        set(box.bottomRight, row: bottom, column: right, style: style)
        // Corner, line, space, title, space, line, corner: the title gets width - 6.
        if let title, !title.isEmpty, rect.width >= 7 {
            let fitted = TextWidth.truncate(title, toWidth: rect.width - 6)
            let trimmed = fitted.hasSuffix(" ") ? String(fitted.dropLast()) : fitted
            put(" \(trimmed) ", row: rect.row, column: rect.column + 2, style: titleStyle ?? style)
        }
    }

    /// Draws a horizontal divider across a frame: `├───┤` from `column` over `width` columns.
    public mutating func drawDivider(
        row: Int, column: Int, width: Int, box: BoxStyle = .light, style: Style = .plain
    ) {
        guard width >= 2 else { return }
        drawHorizontalLine(row: row, column: column + 1, length: width - 2, box: box, style: style)
        set(box.teeRight, row: row, column: column, style: style)
        set(box.teeLeft, row: row, column: column + width - 1, style: style)
    }
}
