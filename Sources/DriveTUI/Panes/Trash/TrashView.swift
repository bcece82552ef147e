import DriveEngine
import ScreenKit

/// The Trash view: trashed items with where they were, when they went and their size. Pure.
enum TrashView {
    private static let titles = ["Name", "Was in", "Trashed", "Size"]

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let trash = state.trash
        buffer.drawPane(rect, title: "Trash", isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let fixed = [
            TableColumn(title: "Trashed", width: 16),
            TableColumn(title: "Size", width: 8, alignment: .trailing),
        ]
        let flexible = max(8, inner.width - TableColumn.fixedWidth(fixed) - 1)
        let columns = [
            TableColumn(title: "Name", width: flexible / 2),
            TableColumn(title: "Was in", width: flexible - flexible / 2 - 1),
        ] + fixed
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        TableColumn.renderRows(columns, titles: titles, count: trash.entries.count, cursor: trash.cursor,
                               selectedRole: .rowSelected, placeholder: trash.isLoading ? "Loading…" : "The trash is empty",
                               in: inner, theme: theme, into: &buffer) { index in
            let entry = trash.entries[index]
            let item = entry.item
            return [
                (item.isFolder ? item.name + "/" : item.name, item.isFolder ? .folder : .row),
                (entry.path.parent.description, .muted),
                (item.trashedAt.map { Formatting.date($0, in: state.context.timeZone) } ?? "", .muted),
                (item.isFolder ? "" : Formatting.bytes(item.size), .muted),
            ]
        }
    }
}
