import DriveEngine
import ScreenKit

/// The Conflicts view, full width: each conflict's file, its conflict version against the head
/// it lost to, the base both were edited from, who wrote it, from which device, when, and (with
/// the resolved ones shown) how it was settled. Columns that do not fit a narrow terminal are
/// left out, the path last; text is cut by display width, so Hangul lines up. Pure.
enum ConflictsView {
    private static let titles = ["Path", "Versions", "Base", "By", "Device", "Made", "State"]

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let conflicts = state.conflicts
        buffer.drawPane(rect, title: conflicts.showsResolved ? "Conflicts · resolved too" : "Conflicts",
                        isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let columns = Self.columns(width: inner.width, showsResolved: conflicts.showsResolved)
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        TableColumn.renderRows(columns, titles: titles, count: conflicts.entries.count, cursor: conflicts.cursor,
                               selectedRole: .rowSelected, placeholder: placeholder(conflicts), in: inner, theme: theme,
                               into: &buffer) { index in
            let conflict = conflicts.entries[index]
            return [
                (conflict.path.description, conflict.isOpen ? .title : .row),
                ("v\(conflict.version) vs v\(conflict.head)", .row),
                (conflict.base.map { "v\($0)" } ?? "none", .muted),
                (conflict.author, .row),
                (conflict.device ?? "cli", .muted),
                (Formatting.date(conflict.createdAt, in: state.context.timeZone), .muted),
                (stateText(conflict), conflict.isOpen ? .pinned : .muted),
            ]
        }
        buffer.putFrameFooter(conflicts.isLoading && conflicts.entries.isEmpty ? "" : "\(conflicts.openCount) open",
                              in: rect, style: theme[.muted])
    }

    /// The columns that fit `width`: the path takes what the others leave, at least 24 columns;
    /// the device, then the base, then the state of open-only lists go first when it would not.
    static func columns(width: Int, showsResolved: Bool) -> [TableColumn] {
        var fixed = [
            TableColumn(title: "Versions", width: 11),
            TableColumn(title: "Base", width: 5),
            TableColumn(title: "By", width: 8),
            TableColumn(title: "Device", width: 10),
            TableColumn(title: "Made", width: 16),
            TableColumn(title: "State", width: showsResolved ? 11 : 6),
        ]
        for dropped in ["Device", "Base", "State"] where width - TableColumn.fixedWidth(fixed) - 1 < 24 {
            if dropped == "State" && showsResolved { continue }
            fixed.removeAll { $0.title == dropped }
        }
        let path = TableColumn(title: "Path", width: max(8, width - TableColumn.fixedWidth(fixed) - 1))
        return [path] + fixed
    }

    /// "open", or how it was settled: "mine → v4", "both → v5".
    static func stateText(_ conflict: ConflictInfo) -> String {
        guard let resolution = conflict.resolution else { return "open" }
        return resolution.rawValue + (conflict.result.map { " → v\($0)" } ?? "")
    }

    private static func placeholder(_ conflicts: ConflictsState) -> String {
        if conflicts.isLoading { return "Loading…" }
        return conflicts.showsResolved ? "No conflicts, open or resolved" : "No open conflicts: a shows the resolved ones"
    }
}
