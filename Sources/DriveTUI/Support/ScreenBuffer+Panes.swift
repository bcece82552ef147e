import ScreenKit

extension ScreenBuffer {
    /// Draws a pane's rounded frame with its title; the focused pane's border stands out.
    mutating func drawPane(_ rect: Rect, title: String, isFocused: Bool, theme: Theme) {
        fill(rect.inset(by: 1), style: theme[.row])
        drawFrame(rect, box: .rounded, style: theme[isFocused ? .borderFocused : .border],
                  title: title, titleStyle: theme[.title])
    }

    /// Writes `text` into `width` columns, padded or cut with an ellipsis, and returns the
    /// column after it.
    @discardableResult
    mutating func putPadded(_ text: String, row: Int, column: Int, width: Int, style: Style,
                            alignment: TextAlignment = .leading) -> Int {
        guard width > 0 else { return column }
        put(TextWidth.align(text, toWidth: width, alignment: alignment), row: row, column: column, style: style, maxWidth: width)
        return column + width
    }

    /// Writes `text` at the bottom-right of a frame, inside the corners (a position or count).
    mutating func putFrameFooter(_ text: String, in rect: Rect, style: Style) {
        let shown = " \(text) "
        let width = TextWidth.of(shown)
        guard width + 4 <= rect.width else { return }
        put(shown, row: rect.maxRow - 1, column: rect.maxColumn - 2 - width, style: style)
    }

    /// A line of "label  value" pairs in a details pane, the label in its own column.
    mutating func putField(_ label: String, _ value: String, row: Int, in rect: Rect, theme: Theme,
                           valueRole: ThemeRole = .value) {
        let labelWidth = 10
        putPadded(label, row: row, column: rect.column, width: min(labelWidth, rect.width), style: theme[.label])
        putPadded(value, row: row, column: rect.column + labelWidth, width: rect.width - labelWidth, style: theme[valueRole])
    }

    /// Draws an editable line of text at a position and places the cursor in it; when the text
    /// is wider than `width`, the part around the cursor shows.
    mutating func putTextField(_ field: TextField, row: Int, column: Int, width: Int, style: Style) {
        guard width > 1 else { return }
        fill(Rect(row: row, column: column, width: width, height: 1), style: style)
        let before = String(field.beforeCursor)
        let beforeWidth = TextWidth.of(before)
        // Keep the cursor inside the field: show the end of the text before it when too long.
        let shift = max(0, beforeWidth - (width - 1))
        var shown = field.text
        if shift > 0 {
            let kept = TextWidth.suffix(of: Substring(before), fitting: width - 2)
            shown = "…" + kept.text + field.text.dropFirst(field.cursor)
        }
        put(shown, row: row, column: column, style: style, maxWidth: width)
        let cursorColumn = shift > 0 ? 1 + TextWidth.suffix(of: Substring(before), fitting: width - 2).width : beforeWidth
        cursor = Position(row: row, column: column + min(cursorColumn, width - 1))
    }

    /// A horizontal bar of `width` columns, `fraction` of it filled.
    mutating func putBar(fraction: Double, row: Int, column: Int, width: Int, done: Style, todo: Style,
                         fill filled: Character = "█", empty: Character = " ") {
        guard width > 0 else { return }
        let count = Int((max(0, min(1, fraction)) * Double(width)).rounded())
        fill(Rect(row: row, column: column, width: count, height: 1), with: filled, style: done)
        fill(Rect(row: row, column: column + count, width: width - count, height: 1), with: empty, style: todo)
    }
}
