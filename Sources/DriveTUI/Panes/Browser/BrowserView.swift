import DriveEngine
import ScreenKit

/// My Drive: the folder's rows in columns (name, size, modified, modified by, versions) under
/// breadcrumbs, with the Details pane beside (or, on narrow terminals, instead when focused).
/// Pure.
enum BrowserView {
    static func render(_ state: AppState, layout: Layout, theme: Theme, into buffer: inout ScreenBuffer) {
        let (listRect, detailsRect) = layout.splitBody()
        if let detailsRect {
            renderList(state, in: listRect, theme: theme, into: &buffer)
            DetailsView.render(state, in: detailsRect, theme: theme, into: &buffer)
        } else if state.focus == .details {
            DetailsView.render(state, in: layout.body, theme: theme, into: &buffer)
        } else {
            renderList(state, in: listRect, theme: theme, into: &buffer)
        }
    }

    /// "My Drive › Documents › 보고서" ("Shared with me › 문서" under `/shared`), cut at the
    /// start when too long.
    static func breadcrumbs(_ path: DrivePath, width: Int) -> String {
        let parts = AppState.isShared(path) ? ["Shared with me"] + path.components.dropFirst() : ["My Drive"] + path.components
        let full = parts.joined(separator: " › ")
        guard TextWidth.of(full) > width, width > 2 else { return full }
        return "…" + TextWidth.suffix(of: Substring(full), fitting: width - 1).text
    }

    /// The columns that fit `width`, name first: the rest are dropped from the right when
    /// the name would get too narrow.
    static func columns(width: Int) -> [TableColumn] {
        var columns = [
            TableColumn(title: "Size", width: 8, alignment: .trailing),
            TableColumn(title: "Modified", width: 16),
            TableColumn(title: "By", width: 10),
            TableColumn(title: "Ver", width: 4, alignment: .trailing),
        ]
        while columns.count > 1 && width - TableColumn.fixedWidth(columns) - 1 < 16 {
            columns.remove(at: columns.count == 4 ? 2 : columns.count - 1)
        }
        let name = TableColumn(title: "Name", width: max(4, width - TableColumn.fixedWidth(columns) - 1))
        return [name] + columns
    }

    /// A row's name: "사진/" for a folder, "name -> target" for a symbolic link, as `ls` shows it.
    static func nameCell(_ entry: Entry) -> String {
        if entry.item.isFolder { return entry.item.name + "/" }
        return entry.linkTarget.map { entry.item.name + " -> " + $0 } ?? entry.item.name
    }

    private static func renderList(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let browser = state.browser
        let focused = state.focus == .list
        buffer.drawPane(rect, title: breadcrumbs(browser.folder, width: rect.width - 6), isFocused: focused, theme: theme)
        let inner = rect.inset(by: 1)
        let columns = columns(width: inner.width)
        TableColumn.renderHeader(columns, sort: browser.sort, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        let placeholder = browser.isLoading ? "Loading…"
            : !browser.filter.isEmpty ? "Nothing matches “\(browser.filter)”"
            : "This folder is empty: a adds a local file, n makes a folder"
        TableColumn.renderRows(columns, titles: ["Name", "Size", "Modified", "By", "Ver"], count: browser.rows.count,
                               cursor: browser.cursor, selectedRole: focused ? .rowSelected : .rowSelectedInactive,
                               placeholder: placeholder, in: inner, theme: theme, into: &buffer) { index in
            let entry = browser.entry(atRow: index)
            let item = entry.item
            return [
                (nameCell(entry), item.isFolder ? .folder : .row),
                (item.isFolder ? "" : Formatting.bytes(item.size), .muted),
                (Formatting.date(item.modifiedAt, in: state.context.timeZone), .muted),
                (entry.modifiedByName, .muted),
                (item.isFolder ? "" : String(item.versionCount), .muted),
            ]
        }
        let rows = inner.height - 1
        if browser.rows.count > rows {
            buffer.putFrameFooter("\(browser.cursor.selected + 1)/\(browser.rows.count)", in: rect, style: theme[.muted])
        }
    }
}
