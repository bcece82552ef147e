import ScreenKit

/// The frame around every view: the top bar, the view tabs and the key hints. Pure.
enum ChromeView {
    /// Row 0: the app, the store, the user; the devices' sync state ("sync ✓", "sync ↑2 ↓5",
    /// "sync !" in the accent when a sync failed or conflicts wait; "sync —" with no devices), and the unread
    /// notifications ("inbox 3", in the accent while any are unread; "inbox —" until counted).
    static func renderTopBar(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = buffer.width
        buffer.fill(Rect(row: 0, column: 0, width: width, height: 1), style: theme[.topBar])
        var column = buffer.put(" Cairn ", row: 0, column: 0, style: theme[.topBarAccent])
        let sync = state.devices.summary + "  "
        let unread = state.inbox.unread
        let badge = "inbox \(unread.map(String.init) ?? "—") "
        let rightWidth = TextWidth.of(sync) + TextWidth.of(badge)
        let room = width - column - rightWidth - 2
        let place = " \(state.context.userName) @ \(state.context.storeName)"
        column += buffer.put(TextWidth.truncate(place, toWidth: max(0, room), position: .middle),
                             row: 0, column: column, style: theme[.topBar])
        if width - rightWidth > column {
            let next = buffer.put(sync, row: 0, column: width - rightWidth,
                                  style: theme[state.devices.needsAttention ? .topBarAccent : .topBar])
            buffer.put(badge, row: 0, column: width - rightWidth + next,
                       style: theme[(unread ?? 0) > 0 ? .topBarAccent : .topBar])
        }
    }

    /// Row 1: the views with their number keys; the one shown is highlighted. When the names
    /// do not fit, short ones are used, then the views farthest from the one shown keep only
    /// their numbers.
    static func renderTabs(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        var column = 1
        for (view, label) in zip(ViewID.allCases, tabLabels(shown: state.view, width: buffer.width)) {
            let style = theme[view == state.view ? .tabActive : .tab]
            column += buffer.put(label, row: 1, column: column, style: style)
            column += 1
        }
    }

    /// The tab labels, the longest that fit in `width` columns: full names, else short ones with
    /// names dropped from the farthest views first (on a tie, the one to the right), so the
    /// views near the one shown keep theirs.
    static func tabLabels(shown: ViewID, width: Int) -> [String] {
        func fits(_ labels: [String]) -> Bool { labels.reduce(1, { $0 + TextWidth.of($1) + 1 }) - 1 <= width }
        let full = ViewID.allCases.map { " \($0.key) \($0.title) " }
        if fits(full) { return full }
        var labels = ViewID.allCases.map { " \($0.key) \($0.shortTitle) " }
        let distance = { (view: ViewID) in abs(view.rawValue - shown.rawValue) }
        let farthestFirst = ViewID.allCases.filter { $0 != shown }.sorted {
            (distance($0), $0.rawValue) > (distance($1), $1.rawValue)
        }
        for view in farthestFirst where !fits(labels) {
            labels[view.rawValue - ViewID.drive.rawValue] = " \(view.key) "
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
