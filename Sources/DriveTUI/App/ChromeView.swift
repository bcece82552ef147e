import ScreenKit

/// The frame around every view: the top bar, the view tabs and the key hints. Pure.
enum ChromeView {
    /// Row 0: the app, the store, the user; places for sync state and unread notifications.
    static func renderTopBar(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = buffer.width
        buffer.fill(Rect(row: 0, column: 0, width: width, height: 1), style: theme[.topBar])
        var column = buffer.put(" Cairn ", row: 0, column: 0, style: theme[.topBarAccent])
        // Later issues fill these in: device sync and the notification inbox.
        let right = "sync —  inbox — "
        let rightWidth = TextWidth.of(right)
        let room = width - column - rightWidth - 2
        let place = " \(state.context.userName) @ \(state.context.storeName)"
        column += buffer.put(TextWidth.truncate(place, toWidth: max(0, room), position: .middle),
                             row: 0, column: column, style: theme[.topBar])
        if width - rightWidth > column {
            buffer.put(right, row: 0, column: width - rightWidth, style: theme[.topBar])
        }
    }

    /// Row 1: the views with their number keys; the one shown is highlighted. When the names
    /// do not fit, short ones are used, then only the numbers beside the view shown.
    static func renderTabs(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        var column = 1
        for (view, label) in zip(ViewID.allCases, tabLabels(shown: state.view, width: buffer.width)) {
            let style = theme[view == state.view ? .tabActive : .tab]
            column += buffer.put(label, row: 1, column: column, style: style)
            column += 1
        }
    }

    /// The tab labels, the longest that fit in `width` columns.
    static func tabLabels(shown: ViewID, width: Int) -> [String] {
        let choices: [(ViewID) -> String] = [
            { " \($0.key) \($0.title) " },
            { " \($0.key) \($0.shortTitle) " },
            { $0 == shown ? " \($0.key) \($0.shortTitle) " : " \($0.key) " },
        ]
        var labels: [String] = []
        for label in choices {
            labels = ViewID.allCases.map(label)
            if labels.reduce(1, { $0 + TextWidth.of($1) + 1 }) - 1 <= width { break }
        }
        return labels
    }

    /// The last row: the keys that matter here, from the binding table; disabled ones dimmed.
    static func renderHints(_ state: AppState, row: Int, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.fill(Rect(row: row, column: 0, width: buffer.width, height: 1), style: theme[.hint])
        var column = 1
        var hints = Keymap.hints(in: state)
        if state.job != nil && state.dialog == nil && state.commandLine == nil && !state.isEditingText {
            hints.insert(("Esc", "cancel transfer", false), at: 0)
        }
        for hint in hints {
            let width = TextWidth.of(hint.keys) + 1 + TextWidth.of(hint.label)
            guard column + width <= buffer.width - 1 else { break }
            let keyRole: ThemeRole = hint.isDisabled ? .hintDisabled : .hintKey
            let labelRole: ThemeRole = hint.isDisabled ? .hintDisabled : .hint
            column += buffer.put(hint.keys, row: row, column: column, style: theme[keyRole])
            column += 1
            column += buffer.put(hint.label, row: row, column: column, style: theme[labelRole])
            column += 2
        }
    }
}
