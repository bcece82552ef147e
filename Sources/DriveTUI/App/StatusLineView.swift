import ScreenKit

/// The status line (second row from the bottom): the command line or filter being typed, the
/// message of the moment, or a summary of the view; a running job's progress bar on the right.
/// Every message and error reaches the screen here. Pure.
enum StatusLineView {
    static func render(_ state: AppState, row: Int, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = buffer.width
        buffer.fill(Rect(row: row, column: 0, width: width, height: 1), style: theme[.status])
        var leftWidth = width - 1
        if let job = state.job {
            let barWidth = min(60, width / 2)
            renderJob(job, row: row, column: width - barWidth, width: barWidth, theme: theme, into: &buffer)
            leftWidth = width - barWidth - 2
        }
        if let field = state.commandLine {
            buffer.put(":", row: row, column: 1, style: theme[.status])
            buffer.putTextField(field, row: row, column: 2, width: leftWidth - 2, style: theme[.input])
        } else if let field = state.browser.filterField, state.isEditingText, state.dialog == nil {
            buffer.put("/", row: row, column: 1, style: theme[.status])
            let count = " \(state.browser.rows.count) of \(state.browser.entries.count)"
            let countWidth = TextWidth.of(count)
            buffer.put(count, row: row, column: leftWidth - countWidth, style: theme[.status])
            buffer.putTextField(field, row: row, column: 2, width: max(2, leftWidth - countWidth - 3), style: theme[.input])
        } else if let message = state.message {
            let role: ThemeRole = switch message.kind {
            case .info: .info
            case .success: .success
            case .error: .error
            }
            buffer.put(" " + TextWidth.truncate(message.text, toWidth: leftWidth - 2) + " ",
                       row: row, column: 0, style: theme[role], maxWidth: leftWidth)
        } else if !state.pendingKeys.isEmpty {
            let typed = state.pendingKeys.map(KeyLabel.text(for:)).joined(separator: " ")
            buffer.put(" \(typed) …", row: row, column: 0, style: theme[.info], maxWidth: leftWidth)
        } else {
            buffer.put(" " + summary(state), row: row, column: 0, style: theme[.status], maxWidth: leftWidth)
        }
    }

    /// What the view shows, in a few words: "12 items · sorted by name ↑ · filter “re”".
    static func summary(_ state: AppState) -> String {
        if let merge = state.merge {
            return "\(merge.input.conflict.path) · " + MergeView.footer(merge)
        }
        if let pager = state.pager {
            return "\(pager.content.title) · \(Formatting.count(pager.content.lines.count, "line"))"
        }
        switch state.view {
        case .drive:
            let browser = state.browser
            if browser.isLoading { return "Loading \(browser.folder)…" }
            var parts = [browser.isPartial ? "the first \(browser.entries.count) items, reading the rest…"
                                           : Formatting.count(browser.entries.count, "item"),
                         "sorted by \(browser.sort.label)"]
            if !browser.filter.isEmpty {
                parts.append("filter “\(browser.filter)”: \(browser.rows.count) shown, Esc clears")
            }
            if let share = sharePart(state) { parts.append(share) }
            return parts.joined(separator: " · ")
        case .versions:
            guard let path = state.versions.path else { return "No file chosen: select a file in My Drive and press v" }
            return "\(path) · \(Formatting.count(state.versions.entries.count, "version"))"
        case .trash:
            return state.trash.isLoading ? "Loading the trash…" : Formatting.count(state.trash.entries.count, "item") + " in the trash"
        case .storage:
            return state.storage.stats == nil ? "Counting…" : "Space used by this store"
        case .devices:
            guard let list = state.devices.entries else { return "Looking at your devices…" }
            if let selected = state.devices.selected, let error = selected.device.lastError {
                return "\(selected.device.name): \(error)"
            }
            return Formatting.count(list.count, "device") + " · " + state.devices.summary
                + (state.devices.syncing.isEmpty ? "" : " · syncing \(state.devices.syncing.joined(separator: ", "))")
        case .help:
            return "Every key, from the binding table · dimmed: your role does not allow it here · j/k scroll"
        case .sharedWithMe:
            if state.sharing.isLoading { return "Loading…" }
            return Formatting.count(state.sharing.withMe.count, "item") + " shared with you · Enter opens"
        case .sharedByMe:
            if state.sharing.isLoading { return "Loading…" }
            let items = Set(state.sharing.byMe.map(\.item.id)).count
            return "\(Formatting.count(state.sharing.byMe.count, "share")) of \(Formatting.count(items, "item")) · x revokes"
        case .inbox:
            let inbox = state.inbox
            if inbox.isLoading { return "Loading…" }
            let shown = Formatting.count(inbox.rows.count, "notification")
            if inbox.showsArchived { return "\(shown) archived · x puts one back · A: the inbox" }
            return "\(shown) · \(inbox.unread ?? 0) unread · Enter opens · f: one kind · A: the archive"
        case .conflicts:
            let conflicts = state.conflicts
            if conflicts.isLoading { return "Loading…" }
            let open = Formatting.count(conflicts.openCount, "open conflict")
            return conflicts.showsResolved ? "\(open), \(conflicts.entries.count - conflicts.openCount) resolved · a: open only"
                : "\(open) · Enter merges · M/T/B keep mine, theirs or both · a: resolved too"
        }
    }

    /// Inside a share: "viewer of 문서, shared by minji: dimmed keys need editor".
    private static func sharePart(_ state: AppState) -> String? {
        let folder = state.browser.folder
        guard AppState.isShared(folder) else { return nil }
        guard folder.components.count >= 2, let entry = state.sharing.sharedEntry(named: folder.components[1]) else {
            return "what others share with you"
        }
        let text = "\(entry.role.rawValue) of \(entry.name), shared by \(entry.ownerName)"
        return entry.role < .editor ? text + ": dimmed keys need editor" : text
    }

    /// "Adding photos ███████░░░ 45% 12/30".
    private static func renderJob(_ job: JobState, row: Int, column: Int, width: Int, theme: Theme,
                                  into buffer: inout ScreenBuffer) {
        let progress = job.progress
        var tail = progress.bytesTotal > 0 ? " \(Int(progress.fraction * 100))%" : ""
        if progress.filesTotal > 1 { tail += " \(progress.filesDone)/\(progress.filesTotal)" }
        if job.isCancelling { tail = " cancelling" }
        let title = TextWidth.truncate(job.title, toWidth: max(4, width / 2 - 1)) + " "
        var next = buffer.put(title, row: row, column: column, style: theme[.status])
        let barWidth = width - next - TextWidth.of(tail) - 1
        buffer.putBar(fraction: progress.fraction, row: row, column: column + next, width: barWidth,
                      done: theme[.progressDone], todo: theme[.progressTodo], fill: " ", empty: " ")
        next += max(0, barWidth)
        buffer.put(tail, row: row, column: column + next, style: theme[.status])
    }
}
