import ScreenKit

/// The Help view: every binding of the table, grouped by where it applies. Pure; scrolls as
/// text. Generated from ``Keymap/bindings``, so it cannot miss a key. A binding this user's
/// role does not allow on the current selection is dimmed, with the role it needs.
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
        rows.map(\.line)
    }

    /// Every line with the binding it shows, if any.
    private static let rows: [(line: Line, binding: Binding?)] = {
        var rows: [(line: Line, binding: Binding?)] = [
            (.note("Keys by where they apply; the most specific place wins. The mouse wheel scrolls, a click selects."), nil),
            (.note("Dimmed: your role on the current selection does not allow it (the engine checks too)."), nil),
            (.blank, nil),
        ]
        for (context, group) in Keymap.bindingsByContext() {
            rows.append((.heading(context.rawValue), nil))
            for binding in group {
                rows.append((.binding(keys: binding.keyLabel, summary: binding.summary), binding))
            }
            if context == .textField { rows.append((.binding(keys: "any other key", summary: "Types itself"), nil)) }
            rows.append((.blank, nil))
        }
        return rows
    }()

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: "Help", isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        let all = rows
        let keyWidth = min(24, area.width / 3)
        for (offset, (line, binding)) in all.dropFirst(state.help.top).prefix(area.height).enumerated() {
            let row = area.row + offset
            switch line {
            case .heading(let text):
                buffer.putPadded(text, row: row, column: area.column, width: area.width, style: theme[.header])
            case .binding(let keys, let summary):
                let denial = binding?.roleDenial(state)
                let keyStyle = denial == nil ? theme[.hintKey] : theme[.hintDisabled]
                buffer.putPadded(keys, row: row, column: area.column + 2, width: keyWidth, style: keyStyle.background(.default))
                buffer.putPadded(summary + (denial.map { " — \($0.short)" } ?? ""), row: row,
                                 column: area.column + 3 + keyWidth, width: area.width - keyWidth - 3,
                                 style: denial == nil ? theme[.value] : theme[.hintDisabled].background(.default))
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
