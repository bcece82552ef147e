import ScreenKit

/// The Inbox view, full width: newest first, each notification's unread mark, time, title and
/// body (cut to their columns by display width, so Hangul lines up). Unread titles stand out.
/// Pure.
enum InboxView {
    private static let titles = ["", "Time", "Title", "Body"]

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let inbox = state.inbox
        buffer.drawPane(rect, title: paneTitle(inbox), isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let fixed = [TableColumn(title: "", width: 1), TableColumn(title: "Time", width: 16)]
        let flexible = max(8, inner.width - TableColumn.fixedWidth(fixed) - 1)
        let columns = fixed + [
            TableColumn(title: "Title", width: flexible / 2),
            TableColumn(title: "Body", width: flexible - flexible / 2 - 1),
        ]
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        TableColumn.renderRows(columns, titles: titles, count: inbox.rows.count, cursor: inbox.cursor,
                               selectedRole: .rowSelected, placeholder: placeholder(inbox), in: inner, theme: theme,
                               into: &buffer) { index in
            let row = inbox.rows[index]
            return [
                (row.isRead ? " " : "•", .pinned),
                (Formatting.date(row.createdAt, in: state.context.timeZone), .muted),
                (row.title, row.isRead ? .row : .title),
                (row.body, .muted),
            ]
        }
        if !inbox.showsArchived, let unread = inbox.unread {
            buffer.putFrameFooter("\(unread) unread", in: rect, style: theme[.muted])
        }
    }

    /// "Inbox", "Inbox · archive · only put".
    static func paneTitle(_ inbox: InboxState) -> String {
        var parts = ["Inbox"]
        if inbox.showsArchived { parts.append("archive") }
        if let kind = inbox.kind { parts.append("only \(kind)") }
        return parts.joined(separator: " · ")
    }

    private static func placeholder(_ inbox: InboxState) -> String {
        if inbox.isLoading { return "Loading…" }
        if let kind = inbox.kind { return "No “\(kind)” notifications here: f shows the next kind" }
        if inbox.showsArchived { return "Nothing is archived: A goes back to the inbox" }
        return "No notifications: when others change what you own or share, it shows here"
    }
}
