import ScreenKit

/// A dialog box centred over the screen: a question with its answers, a prompt with its text
/// field and completion candidates, or the share dialog (``ShareDialogView``). Pure.
enum DialogView {
    static func render(_ dialog: Dialog, theme: Theme, into buffer: inout ScreenBuffer) {
        switch dialog {
        case .confirm(let confirm):
            let body = confirm.message + ["", "y \(confirm.confirmLabel)    n Cancel"]
            let rect = box(lines: body.count, widest: body.map { TextWidth.of($0) }.max() ?? 0, in: buffer.size)
            drawBox(rect, title: confirm.title, theme: theme, into: &buffer)
            for (offset, line) in confirm.message.enumerated() {
                buffer.putPadded(line, row: rect.row + 2 + offset, column: rect.column + 2, width: rect.width - 4,
                                 style: theme[.dialog])
            }
            var column = rect.column + 2
            let row = rect.row + 2 + body.count - 1
            column += buffer.put("y", row: row, column: column, style: theme[.dialogBorder])
            column += buffer.put(" \(confirm.confirmLabel)    ", row: row, column: column, style: theme[.dialog])
            column += buffer.put("n", row: row, column: column, style: theme[.dialogBorder])
            buffer.put(" Cancel", row: row, column: column, style: theme[.dialog])
        case .prompt(let prompt):
            let choices = Array(prompt.completions.prefix(8))
            let more = prompt.completions.count - choices.count
            var lines = 3 + choices.count + (more > 0 ? 1 : 0)
            if !choices.isEmpty { lines += 1 }
            let rect = box(lines: lines, widest: 64, in: buffer.size)
            drawBox(rect, title: prompt.title, theme: theme, into: &buffer)
            let hint = prompt.completesLocalPaths ? "Tab completes · Enter OK · Esc cancels" : "Enter OK · Esc cancels"
            buffer.putPadded(hint, row: rect.row + 4, column: rect.column + 2, width: rect.width - 4, style: theme[.dialog])
            for (offset, choice) in choices.enumerated() {
                buffer.putPadded(choice, row: rect.row + 6 + offset, column: rect.column + 4, width: rect.width - 6,
                                 style: theme[.dialog])
            }
            if more > 0 {
                buffer.putPadded("… and \(more) more", row: rect.row + 6 + choices.count, column: rect.column + 4,
                                 width: rect.width - 6, style: theme[.dialog])
            }
            // Last, so the cursor ends up in the field.
            buffer.putTextField(prompt.field, row: rect.row + 2, column: rect.column + 2, width: rect.width - 4,
                                style: theme[.input])
        case .share(let share):
            ShareDialogView.render(share, theme: theme, into: &buffer)
        }
    }

    /// A box for `lines` lines of up to `widest` columns, centred, within the screen.
    static func box(lines: Int, widest: Int, in size: TerminalSize) -> Rect {
        let width = min(size.width - 4, max(40, widest + 4))
        let height = min(size.height - 2, lines + 4)
        return Rect(row: max(1, (size.height - height) / 2), column: (size.width - width) / 2, width: width, height: height)
    }

    static func drawBox(_ rect: Rect, title: String, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.fill(rect, style: theme[.dialog])
        buffer.drawFrame(rect, box: .rounded, style: theme[.dialogBorder], title: title, titleStyle: theme[.dialogBorder])
    }
}
