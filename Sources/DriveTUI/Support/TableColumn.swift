import ScreenKit

/// One column of a list: heading, width and alignment; rows are laid out with one space
/// before each column. Value type, Sendable; drawing is pure.
struct TableColumn: Equatable, Sendable {
    var title: String
    var width: Int
    var alignment: TextAlignment = .leading

    /// Columns taken by `columns` with their leading spaces.
    static func fixedWidth(_ columns: [TableColumn]) -> Int {
        columns.reduce(0) { $0 + $1.width + 1 } + 1
    }

    /// The heading row; the sorted column shows its direction.
    static func renderHeader(_ columns: [TableColumn], sort: BrowserSort?, row: Int, column: Int, theme: Theme,
                             into buffer: inout ScreenBuffer) {
        var x = column + 1
        for item in columns {
            var title = item.title
            if let sort, sortColumn(title) == sort.column {
                let arrow = sort.ascending ? "↑" : "↓"
                title += TextWidth.of(title) + 2 <= item.width ? " " + arrow : arrow
            }
            buffer.putPadded(title, row: row, column: x, width: item.width, style: theme[.header], alignment: item.alignment)
            x += item.width + 1
        }
    }

    /// One row: `cells` are (text, role) in the full column order named by `titles`; columns
    /// not in `columns` are skipped. `override` (selection) replaces every role.
    static func renderRow(_ columns: [TableColumn], cells: [(String, ThemeRole)], titles: [String], row: Int,
                          column: Int, width: Int, override: ThemeRole?, theme: Theme, into buffer: inout ScreenBuffer) {
        if let override {
            buffer.fill(Rect(row: row, column: column, width: width, height: 1), style: theme[override])
        }
        var x = column + 1
        for item in columns {
            guard let index = titles.firstIndex(of: item.title) else { continue }
            let (text, role) = cells[index]
            buffer.putPadded(text, row: row, column: x, width: item.width, style: theme[override ?? role],
                             alignment: item.alignment)
            x += item.width + 1
        }
    }

    /// A list's rows below its header (in `inner`, the pane's interior): `cells(index)` gives
    /// row `index`'s cells in `titles` order; the selected row is drawn in `selectedRole`, and
    /// an empty list shows `placeholder` instead.
    static func renderRows(_ columns: [TableColumn], titles: [String], count: Int, cursor: ListCursor,
                           selectedRole: ThemeRole, placeholder: String, in inner: Rect, theme: Theme,
                           into buffer: inout ScreenBuffer, cells: (Int) -> [(String, ThemeRole)]) {
        guard count > 0 else {
            buffer.putPadded(placeholder, row: inner.row + 2, column: inner.column, width: inner.width,
                             style: theme[.muted], alignment: .center)
            return
        }
        for line in 0..<max(0, min(inner.height - 1, count - cursor.top)) {
            let index = cursor.top + line
            renderRow(columns, cells: cells(index), titles: titles, row: inner.row + 1 + line, column: inner.column,
                      width: inner.width, override: index == cursor.selected ? selectedRole : nil, theme: theme,
                      into: &buffer)
        }
    }

    private static func sortColumn(_ title: String) -> BrowserSort.Column? {
        switch title {
        case "Name": .name
        case "Size": .size
        case "Modified": .modified
        case "By": .modifiedBy
        case "Ver": .versions
        default: nil
        }
    }
}
