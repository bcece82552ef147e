import DriveEngine
import ScreenKit

/// The two sharing views, full width. Pure.
///
/// Shared with me: the items other users share with this one, as `/shared` holds them — name,
/// owner, this user's role, size, last change; Enter opens one in the browser. Shared by me:
/// one row per share of this user's items — path, whom it is shared with, in which role;
/// Enter shows the item in My Drive, x revokes after a confirm.
enum SharingView {
    static func renderSharedWithMe(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let sharing = state.sharing
        renderTable(title: "Shared with me", first: "Name", second: "Owner", count: sharing.withMe.count,
                    cursor: sharing.withMeCursor,
                    placeholder: sharing.isLoading ? "Loading…" : "Nothing is shared with you yet",
                    in: rect, theme: theme, into: &buffer) { index in
            let entry = sharing.withMe[index]
            return [
                (entry.item.isFolder ? entry.name + "/" : entry.name, entry.item.isFolder ? .folder : .row),
                (entry.ownerName, .muted),
            ] + sizeAndDate(entry.item, entry.role, state)
        }
    }

    static func renderSharedByMe(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let sharing = state.sharing
        renderTable(title: "Shared by me", first: "Path", second: "With", count: sharing.byMe.count,
                    cursor: sharing.byMeCursor,
                    placeholder: sharing.isLoading ? "Loading…"
                        : "You share nothing yet: select an item in My Drive (1) and press s",
                    in: rect, theme: theme, into: &buffer) { index in
            let share = sharing.byMe[index]
            return [
                (share.path.description + (share.item.isFolder ? "/" : ""), share.item.isFolder ? .folder : .row),
                (share.userName, .muted),
            ] + sizeAndDate(share.item, share.role, state)
        }
    }

    /// The role, size and last change cells.
    private static func sizeAndDate(_ item: Item, _ role: Role, _ state: AppState) -> [(String, ThemeRole)] {
        [
            (role.rawValue, .value),
            (item.isFolder ? "" : Formatting.bytes(item.size), .muted),
            (Formatting.date(item.modifiedAt, in: state.context.timeZone), .muted),
        ]
    }

    /// A framed table: a flexible first column, then `second`, role, size and modified.
    private static func renderTable(title: String, first: String, second: String, count: Int, cursor: ListCursor,
                                    placeholder: String, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer,
                                    cells: (Int) -> [(String, ThemeRole)]) {
        buffer.drawPane(rect, title: title, isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let fixed = [
            TableColumn(title: second, width: 10),
            TableColumn(title: "Role", width: 6),
            TableColumn(title: "Size", width: 8, alignment: .trailing),
            TableColumn(title: "Modified", width: 16),
        ]
        let columns = [TableColumn(title: first, width: max(8, inner.width - TableColumn.fixedWidth(fixed) - 1))] + fixed
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        TableColumn.renderRows(columns, titles: columns.map(\.title), count: count, cursor: cursor,
                               selectedRole: .rowSelected, placeholder: placeholder, in: inner, theme: theme,
                               into: &buffer, cells: cells)
        if count > inner.height - 1 {
            buffer.putFrameFooter("\(cursor.selected + 1)/\(count)", in: rect, style: theme[.muted])
        }
    }
}
