import DriveEngine
import ScreenKit

/// The share dialog: the user field, the role choice, the users that fit what is typed, and
/// the item's shares; the row with the keyboard is highlighted. Pure.
enum ShareDialogView {
    /// Lines above the shares: field, role, blank, users, blank, heading.
    private static let headLines = 6
    /// Lines below them: blank, keys.
    private static let footLines = 2

    static func render(_ share: ShareDialog, theme: Theme, into buffer: inout ScreenBuffer) {
        let room = max(1, buffer.height - 6 - headLines - footLines)
        let shown = min(max(1, share.shares.count), room)
        let rect = DialogView.box(lines: headLines + shown + footLines, widest: 62, in: buffer.size)
        DialogView.drawBox(rect, title: "Share \(share.path)", theme: theme, into: &buffer)
        let left = rect.column + 2
        let width = rect.width - 4
        let top = rect.row + 2
        let label = 6

        buffer.put("With", row: top, column: left, style: theme[.dialog])
        if share.focus != .user {
            buffer.putPadded(share.field.text, row: top, column: left + label, width: width - label, style: theme[.input])
        }

        let roleFocused = share.focus == .role
        let roleStyle = theme[roleFocused ? .rowSelected : .dialog]
        if roleFocused { buffer.fill(Rect(row: top + 1, column: left - 1, width: width + 2, height: 1), style: roleStyle) }
        buffer.put("Role", row: top + 1, column: left, style: roleStyle)
        let choice = [Role.viewer, .editor].map { "(\($0 == share.role ? "•" : " ")) \($0.rawValue)" }.joined(separator: "   ")
        buffer.put(choice + (roleFocused ? "    Space switches" : ""), row: top + 1, column: left + label, style: roleStyle,
                   maxWidth: width - label)

        buffer.putPadded(usersLine(share), row: top + 3, column: left, width: width, style: theme[.dialog])

        if share.shares.isEmpty {
            buffer.putPadded("Not shared with anyone yet", row: top + 5, column: left, width: width, style: theme[.dialog])
        } else {
            buffer.putPadded("Shared with", row: top + 5, column: left, width: width, style: theme[.dialogBorder])
            let selected: Int? = if case .share(let index) = share.focus { index } else { nil }
            let first = max(0, min((selected ?? 0) - shown + 1, share.shares.count - shown))
            for (offset, existing) in share.shares.dropFirst(first).prefix(shown).enumerated() {
                let row = top + headLines + offset
                let isSelected = first + offset == selected
                let style = theme[isSelected ? .rowSelected : .dialog]
                if isSelected { buffer.fill(Rect(row: row, column: left - 1, width: width + 2, height: 1), style: style) }
                let text = TextWidth.align(existing.userName, toWidth: 12, alignment: .leading) + " " + existing.role.rawValue
                    + (isSelected ? "    Space: make \(existing.role.toggled.rawValue) · x: revoke" : "")
                buffer.put(text, row: row, column: left + 2, style: style, maxWidth: width - 2)
            }
        }

        let keys = share.focus == .user
            ? "Tab completes · ↓ role and shares · Enter shares · Esc closes"
            : "↑ ↓ rows · Enter shares · Esc closes"
        buffer.putPadded(keys, row: top + headLines + shown + 1, column: left, width: width, style: theme[.dialog])
        // Last, so the cursor ends up in the field.
        if share.focus == .user {
            buffer.putTextField(share.field, row: top, column: left + label, width: width - label, style: theme[.input])
        }
    }

    /// "Users: alice  bob": the users that fit what is typed (after Tab, the candidates).
    private static func usersLine(_ share: ShareDialog) -> String {
        let users = share.completions.isEmpty ? share.matchingUsers : share.completions
        if users.isEmpty {
            return share.users.isEmpty ? "No other users in this store" : "No user’s name starts with ‘\(share.field.text)’"
        }
        return "Users: " + users.joined(separator: "  ")
    }
}
