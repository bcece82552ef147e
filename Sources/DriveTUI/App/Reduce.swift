import DriveEngine
import ScreenKit

/// Applies `action` to `state` and returns the work to do in the background.
///
/// Pure: no I/O, no clock, no globals; everything it needs is in the state or the action.
/// Runs on the main actor in the app, anywhere in tests.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    if action.isUserInput {
        if case .awaitNextKey = action {} else { state.pendingKeys = [] }
        state.message = nil
    }
    switch action {
    case .resized(let size):
        state.size = size
        state.clampCursors()
        return []
    case .click(let row, let column):
        return state.click(row: row, column: column)
    case .wheel(let rows):
        return state.moveSelection(by: rows)
    case .awaitNextKey(let key):
        state.pendingKeys.append(key)
        return []
    case .explain(let reason):
        state.message = StatusMessage(reason)
        return []
    case .unbound(let key):
        if case .character(let character) = key, character != " " {
            state.message = StatusMessage("No key ‘\(character)’ here; ? lists every key")
        }
        return []
    case .quit:
        state.shouldQuit = true
        return state.job.map { [.cancelJob($0.id)] } ?? []
    case .closeHelp:
        return state.closeHelp()
    case .show(let view):
        return state.show(view)
    case .cyclePane:
        if state.view == .drive || state.view == .versions {
            state.focus = state.focus == .list ? .details : .list
        }
        return []
    case .openCommandLine:
        state.commandLine = TextField()
        return []
    case .cancel:
        return state.cancel()
    case .redraw, .suspend:
        return []  // the app's loop handles these: they concern the terminal, not the state
    case .move(let rows):
        return state.moveSelection(by: rows)
    case .page(let pages):
        return state.moveSelection(by: pages * state.pageRows)
    case .moveToTop:
        return state.moveSelection(by: Int.min / 2)
    case .moveToBottom:
        return state.moveSelection(by: Int.max / 2)
    case .scrollSideways(let columns):
        if var pager = state.pager {
            pager.scrollSideways(by: columns, visibleColumns: state.layout.textColumns)
            state.pager = pager
        }
        return []
    case .open, .goUp, .startFilter, .sort, .showVersions, .addLocal, .download, .newFolder, .rename,
         .moveItem, .trashItem:
        return state.reduceBrowserCommand(action)
    case .previewVersion, .diffVersion, .restoreVersion, .togglePin:
        return state.reduceVersionsCommand(action)
    case .restoreFromTrash, .emptyTrash:
        return state.reduceTrashCommand(action)
    case .openShareDialog, .toggleShareRole, .revokeShare:
        return state.reduceSharingCommand(action)
    case .openNotification, .toggleRead, .markAllRead, .archiveNotification, .toggleArchive, .cycleKind:
        return state.reduceInboxCommand(action)
    case .toggleResolved, .openMerge, .keepSide:
        return state.reduceConflictsCommand(action)
    case .syncDevices, .openDeviceFolder:
        return state.reduceDevicesCommand(action)
    case .takeSide, .stepHunk, .undoChoice, .editHunk, .writeMerge, .closeMerge:
        return state.reduceMergeCommand(action)
    case .edit(let edit):
        return state.edit(edit)
    case .complete:
        return state.complete()
    case .submit:
        return state.submit()
    default:
        return state.reduceResult(action)
    }
}

extension Action {
    /// Whether the action comes from the person at the keyboard (a key, the mouse, a
    /// resize), not from background work: such actions clear the message and pending keys.
    public var isUserInput: Bool {
        switch self {
        case .usersLoaded, .listed, .listedFirst, .detailsLoaded, .versionsLoaded, .trashLoaded, .sharingLoaded, .statsLoaded, .pagerReady,
             .completions, .changed, .failed, .refused, .jobProgress, .jobFinished, .jobFailed, .localTargetExists,
             .driveChanged, .inboxLoaded, .inboxCounted, .notificationsArrived, .notificationOpened, .resized,
             .conflictsLoaded, .mergeReady, .hunkEdited, .conflictResolved, .devicesLoaded, .devicesSynced:
            false
        default:
            true
        }
    }
}

extension AppState {
    /// What the app asks for when it starts: the user names, the shares (for roles under
    /// `/shared`), the root folder and the inbox's count (the badge).
    public static let startEffects: [Effect] = [.loadUsers, .loadSharing, .list(.root), .countInbox, .loadDevices]

    /// Rows a page key moves in the current view.
    var pageRows: Int {
        pager != nil || view == .help || view == .storage ? layout.textRows : layout.listRows
    }

    /// Moves the selection (or scrolls) in whatever has the keyboard.
    mutating func moveSelection(by rows: Int) -> [Effect] {
        if case .share(var share)? = dialog {
            share.move(by: rows.signum())
            dialog = .share(share)
            return []
        }
        if var merge {
            merge.scroll(by: rows, visibleRows: layout.textRows)
            self.merge = merge
            return []
        }
        if var pager {
            pager.top = max(0, min(pager.top.addingReportingOverflow(rows).partialValue,
                                   pager.content.lines.count - layout.textRows))
            self.pager = pager
            return []
        }
        switch view {
        case .drive:
            browser.cursor.move(by: rows, count: browser.rows.count, visibleRows: layout.listRows)
            return browserDetailsEffects(force: false)
        case .versions:
            versions.cursor.move(by: rows, count: versions.entries.count, visibleRows: layout.listRows)
        case .trash:
            trash.cursor.move(by: rows, count: trash.entries.count, visibleRows: layout.listRows)
        case .sharedWithMe:
            sharing.withMeCursor.move(by: rows, count: sharing.withMe.count, visibleRows: layout.listRows)
        case .sharedByMe:
            sharing.byMeCursor.move(by: rows, count: sharing.byMe.count, visibleRows: layout.listRows)
        case .inbox:
            inbox.cursor.move(by: rows, count: inbox.rows.count, visibleRows: layout.listRows)
        case .conflicts:
            conflicts.cursor.move(by: rows, count: conflicts.entries.count, visibleRows: layout.listRows)
        case .devices:
            devices.cursor.move(by: rows, count: devices.entries?.count ?? 0, visibleRows: layout.listRows)
        case .storage:
            storage.cursor.scroll(by: rows, count: StorageView.lineCount(self), visibleRows: layout.textRows)
        case .help:
            help.scroll(by: rows, count: HelpView.lines().count, visibleRows: layout.textRows)
        }
        return []
    }

    /// Keeps every cursor inside its list after a resize.
    mutating func clampCursors() {
        browser.cursor.clamp(count: browser.rows.count, visibleRows: layout.listRows)
        versions.cursor.clamp(count: versions.entries.count, visibleRows: layout.listRows)
        trash.cursor.clamp(count: trash.entries.count, visibleRows: layout.listRows)
        sharing.withMeCursor.clamp(count: sharing.withMe.count, visibleRows: layout.listRows)
        sharing.byMeCursor.clamp(count: sharing.byMe.count, visibleRows: layout.listRows)
        inbox.cursor.clamp(count: inbox.rows.count, visibleRows: layout.listRows)
        conflicts.cursor.clamp(count: conflicts.entries.count, visibleRows: layout.listRows)
        devices.cursor.clamp(count: devices.entries?.count ?? 0, visibleRows: layout.listRows)
        let textRows = layout.textRows
        merge?.scroll(by: 0, visibleRows: textRows)
        help.scroll(by: 0, count: HelpView.lines().count, visibleRows: layout.textRows)
        storage.cursor.scroll(by: 0, count: StorageView.lineCount(self), visibleRows: layout.textRows)
        if var pager {
            pager.top = max(0, min(pager.top, pager.content.lines.count - layout.textRows))
            pager.scrollSideways(by: 0, visibleColumns: layout.textColumns)
            self.pager = pager
        }
    }

    /// Shows `view`, loading what it needs.
    mutating func show(_ target: ViewID) -> [Effect] {
        if target == .help && view != .help { (helpReturnView, helpReturnFocus) = (view, focus) }
        pager = nil
        focus = .list
        switch target {
        case .drive:
            view = .drive
            return []
        case .versions:
            if let entry = browser.selectedEntry, !entry.item.isFolder, entry.path != versions.path {
                return showVersions(of: entry.path)
            }
            view = .versions
            return versions.path.map { [.loadVersions($0)] } ?? []
        case .trash:
            view = .trash
            trash.isLoading = true
            return [.loadTrash]
        case .storage:
            view = .storage
            return [.loadStats]
        case .help:
            view = .help
            return []
        case .sharedWithMe, .sharedByMe:
            view = target
            sharing.isLoading = sharing.overview == nil
            return [.loadSharing]
        case .inbox:
            view = .inbox
            inbox.isLoading = true
            return [.loadInbox(archived: inbox.showsArchived)]
        case .conflicts:
            view = .conflicts
            conflicts.isLoading = true
            return [.loadConflicts(all: conflicts.showsResolved)]
        case .devices:
            view = .devices
            devices.isLoading = true
            return [.loadDevices]
        }
    }

    /// `q` or Esc in Help: back to the view (and pane) Help was opened from, as it was; what
    /// that view shows is reloaded, as changes made meanwhile reached no view.
    mutating func closeHelp() -> [Effect] {
        guard view == .help else { return [] }
        (view, focus) = (helpReturnView, helpReturnFocus)
        switch view {
        case .drive: return []
        case .versions: return versions.path.map { [.loadVersions($0)] } ?? []
        case .trash: return [.loadTrash]
        case .storage: return [.loadStats]
        case .sharedWithMe, .sharedByMe: return [.loadSharing]
        case .inbox: return [.loadInbox(archived: inbox.showsArchived)]
        case .conflicts: return [.loadConflicts(all: conflicts.showsResolved)]
        case .devices: return [.loadDevices]
        case .help: return []
        }
    }

    /// A click selects the row under the pointer in the list views.
    mutating func click(row: Int, column: Int) -> [Effect] {
        guard dialog == nil, pager == nil, merge == nil,
              [.drive, .versions, .trash, .sharedWithMe, .sharedByMe, .inbox, .conflicts, .devices].contains(view) else {
            return []
        }
        let list = layout.splitBody().list
        let firstRow = list.row + 2
        guard row >= firstRow, row < list.maxRow - 1, column < list.maxColumn else { return [] }
        let cursor: ListCursor
        switch view {
        case .drive: cursor = browser.cursor
        case .versions: cursor = versions.cursor
        case .sharedWithMe: cursor = sharing.withMeCursor
        case .sharedByMe: cursor = sharing.byMeCursor
        case .inbox: cursor = inbox.cursor
        case .conflicts: cursor = conflicts.cursor
        case .devices: cursor = devices.cursor
        default: cursor = trash.cursor
        }
        focus = .list
        return moveSelection(by: cursor.top + row - firstRow - cursor.selected)
    }
}
