import ScreenKit

/// A preview, hex summary or diff over the body, scrolled by the pager keys. Pure.
enum PagerView {
    static func render(_ pager: PagerState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: pager.content.title, isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        let lines = pager.content.lines
        renderLines(lines, top: pager.top, left: pager.left, in: area, theme: theme, into: &buffer)
        let last = min(lines.count, pager.top + area.height)
        let position = lines.isEmpty ? "empty" : "\(pager.top + 1)–\(last) of \(lines.count)"
        buffer.putFrameFooter(pager.left > 0 ? "\(position) · →\(pager.left)" : position, in: rect, style: theme[.muted])
    }

    /// Draws `lines` from line `top` on, `left` columns scrolled sideways, in `area`: a line's role
    /// colours its whole row (a diff's added line is a band), cut to the area by display width.
    static func renderLines(_ lines: [PagerLine], top: Int, left: Int, in area: Rect, theme: Theme,
                            into buffer: inout ScreenBuffer) {
        for (offset, line) in lines.dropFirst(top).prefix(area.height).enumerated() {
            let row = area.row + offset
            if line.role != .row {
                buffer.fill(Rect(row: row, column: area.column, width: area.width, height: 1), style: theme[line.role])
            }
            buffer.put(dropColumns(line.text, left), row: row, column: area.column, style: theme[line.role], maxWidth: area.width)
        }
    }

    /// `text` without its first `count` columns; a wide character cut in half becomes a space.
    static func dropColumns(_ text: String, _ count: Int) -> String {
        guard count > 0 else { return text }
        let head = TextWidth.prefix(of: Substring(text), fitting: count)
        var rest = text[head.text.endIndex...]
        if head.width < count, !rest.isEmpty {
            rest = rest.dropFirst()
            return " " + rest
        }
        return String(rest)
    }
}
