import ScreenKit

/// The Help view: every binding of the table, grouped by where it applies. Pure; scrolls as
/// text. Generated from ``Keymap/bindings``, so it cannot miss a key.
enum HelpView {
    /// One line of help.
    enum Line: Equatable {
        /// A group's heading.
        case heading(String)
        /// Keys and what they do.
        case binding(keys: String, summary: String)
        /// A remark.
        case note(String)
        /// An empty line.
        case blank
    }

    /// Every line, in table order.
    static func lines() -> [Line] {
        var lines: [Line] = [
            .note("Keys by where they apply; the most specific place wins. The mouse wheel scrolls, a click selects."),
            .blank,
        ]
        for (context, group) in Keymap.bindingsByContext() {
            lines.append(.heading(context.rawValue))
            for binding in group {
                lines.append(.binding(keys: binding.keyLabel, summary: binding.summary))
            }
            if context == .textField { lines.append(.binding(keys: "any other key", summary: "Types itself")) }
            lines.append(.blank)
        }
        return lines
    }

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: "Help", isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        let all = lines()
        let keyWidth = min(24, area.width / 3)
        for (offset, line) in all.dropFirst(state.help.top).prefix(area.height).enumerated() {
            let row = area.row + offset
            switch line {
            case .heading(let text):
                buffer.putPadded(text, row: row, column: area.column, width: area.width, style: theme[.header])
            case .binding(let keys, let summary):
                buffer.putPadded(keys, row: row, column: area.column + 2, width: keyWidth, style: theme[.hintKey].background(.default))
                buffer.putPadded(summary, row: row, column: area.column + 3 + keyWidth,
                                 width: area.width - keyWidth - 3, style: theme[.value])
            case .note(let text):
                buffer.putPadded(text, row: row, column: area.column, width: area.width, style: theme[.muted])
            case .blank:
                break
            }
        }
        buffer.putFrameFooter("\(state.help.top + 1)–\(min(all.count, state.help.top + area.height)) of \(all.count)",
                              in: rect, style: theme[.muted])
    }
}
