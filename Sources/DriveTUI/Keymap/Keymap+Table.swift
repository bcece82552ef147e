import ScreenKit

extension Keymap {
    /// The one binding table, in the order help and the man page list it.
    public static let bindings: [Binding] = globalBindings + listBindings + browserBindings
        + versionsBindings + trashBindings + sharingBindings + inboxBindings + conflictsBindings + devicesBindings + mergeBindings
        + pagerBindings + helpBindings + fieldBindings + shareDialogBindings

    private static func keys(_ text: String) -> [[Key]] { text.map { [.character($0)] } }

    private static let globalBindings: [Binding] = [
        Binding([[.character("q")]], .quit, "Quit (the terminal is restored)", hint: "quit", in: .global),
        Binding([[.ctrl("c")]], .quit, "Quit, from anywhere, even in a dialog", in: .global),
        Binding([[.character("?")]], .show(.help), "Help: every key", hint: "help", in: .global),
    ] + ViewID.allCases.map { view in
        Binding([[.character(view.key)]], .show(view), "Show \(view.title)", in: .global)
    } + [
        Binding([[.tab]], .cyclePane(forward: true), "Next pane (list, details)", in: .global),
        Binding([[.backTab]], .cyclePane(forward: false), "Previous pane", in: .global),
        Binding([[.character(":")]], .openCommandLine, "Command line: put, get, mkdir, mv, rm, restore, cd",
                hint: "command", in: .global),
        Binding([[.escape]], .cancel, "Cancel the running transfer; clear the filter or message", in: .global),
        Binding([[.ctrl("l")]], .redraw, "Redraw the screen", in: .global),
        Binding([[.ctrl("z")]], .suspend, "Suspend to the shell (fg comes back)", in: .global),
    ]

    private static let listBindings: [Binding] = [
        Binding([[.character("j")], [.down]], .move(1), "Down one row", in: .list),
        Binding([[.character("k")], [.up]], .move(-1), "Up one row", in: .list),
        Binding([[.pageDown], [.ctrl("f")]], .page(1), "Down one page", in: .list),
        Binding([[.pageUp], [.ctrl("b")]], .page(-1), "Up one page", in: .list),
        Binding([[.character("g")], [.home]], .moveToTop, "First row", in: .list),
        Binding([[.character("G")], [.end]], .moveToBottom, "Last row", in: .list),
    ]

    private static let browserBindings: [Binding] = [
        Binding([[.enter], [.character("l")], [.right]], .open, "Open the folder, or preview the file",
                hint: "open", in: .browser, disabled: needsSelection),
        Binding([[.character("h")], [.backspace], [.left]], .goUp, "Go to the parent folder", hint: "up",
                in: .browser, disabled: { $0.browser.folder.isRoot ? "This is the top of My Drive" : nil }),
        Binding([[.character("/")]], .startFilter, "Filter by name as you type", hint: "filter", in: .browser),
    ] + BrowserSort.Column.allCases.map { column in
        let letter: Character = column == .modifiedBy ? "b" : column.rawValue.first!
        return Binding([[.character("o"), .character(letter)]], .sort(column),
                       "Sort by \(column.rawValue) (again: reverse)", hint: column == .name ? "sort" : nil, in: .browser)
    } + [
        Binding([[.character("v")]], .showVersions, "Versions of the selected file", hint: "versions",
                in: .browser, disabled: needsFile),
        Binding([[.character("a")]], .addLocal, "Add a local file or folder to this folder", hint: "add",
                in: .browser, disabled: { needsNoJob($0) ?? needsRealFolder($0) }, needs: { $0.folderDenial("Adding here") }),
        Binding([[.character("D")]], .download, "Download the selection to a local path", hint: "download",
                in: .browser, disabled: { needsSelection($0) ?? needsNoJob($0) }),
        Binding([[.character("n")]], .newFolder, "New folder here", hint: "new folder", in: .browser,
                disabled: needsRealFolder, needs: { $0.folderDenial("Making a folder here") }),
        Binding([[.character("R")]], .rename, "Rename the selection", hint: "rename", in: .browser,
                disabled: needsSelection, needs: { $0.selectionDenial("Renaming") }),
        Binding([[.character("m")]], .moveItem, "Move the selection to another folder", hint: "move",
                in: .browser, disabled: needsSelection, needs: { $0.selectionDenial("Moving") }),
        Binding([[.character("x")], [.delete]], .trashItem, "Move the selection to the trash", hint: "trash",
                in: .browser, disabled: needsSelection, needs: { $0.selectionDenial("Moving to the trash") }),
        Binding([[.character("s")]], .openShareDialog,
                "Share the selection, or change and revoke its shares", hint: "share",
                in: .browser, disabled: needsSelection, needs: { $0.selectionDenial("Sharing", needs: .owner) }),
    ]

    private static let versionsBindings: [Binding] = [
        Binding([[.enter], [.character("l")], [.right]], .previewVersion, "Preview this version's content",
                hint: "preview", in: .versions, disabled: needsVersion),
        Binding([[.character("d")]], .diffVersion, "Diff against the previous version", hint: "diff",
                in: .versions, disabled: needsPreviousVersion),
        Binding([[.character("r")]], .restoreVersion, "Restore: make this version the new head (asks first)",
                hint: "restore", in: .versions, disabled: needsOlderVersion,
                needs: { $0.versionsDenial("Restoring a version") }),
        Binding([[.character("p")]], .togglePin, "Pin or unpin (a pinned version is never dropped)",
                hint: "pin", in: .versions, disabled: needsVersion, needs: { $0.versionsDenial("Pinning") }),
        Binding([[.character("D")]], .download, "Download this version to a local path", hint: "download",
                in: .versions, disabled: { needsVersion($0) ?? needsNoJob($0) }),
        Binding([[.character("h")], [.backspace], [.left]], .goUp, "Back to My Drive", hint: "back", in: .versions),
    ]

    private static let trashBindings: [Binding] = [
        Binding([[.character("r")], [.enter]], .restoreFromTrash, "Put the item back where it was",
                hint: "restore", in: .trash, disabled: { $0.trash.selected == nil ? "The trash is empty" : nil }),
        Binding([[.character("P")]], .emptyTrash, "Empty the trash: delete everything in it for good (asks first)",
                hint: "empty trash", in: .trash, disabled: { $0.trash.entries.isEmpty ? "The trash is empty" : nil }),
    ]

    private static let sharingBindings: [Binding] = [
        Binding([[.enter], [.character("l")], [.right]], .open, "Open the item in My Drive's browser, at /shared/NAME",
                hint: "open", in: .sharedWithMe, disabled: { $0.sharing.selectedWithMe == nil ? "Nothing is shared with you" : nil }),
        Binding([[.character("v")]], .showVersions, "Versions of the selected shared file", hint: "versions",
                in: .sharedWithMe, disabled: needsSharedFile),
        Binding([[.enter], [.character("l")], [.right]], .open, "Show the shared item in My Drive", hint: "show",
                in: .sharedByMe, disabled: needsOwnShare),
        Binding([[.character("s")]], .openShareDialog, "Share dialog for the item: add users, change roles, revoke",
                hint: "share", in: .sharedByMe, disabled: needsOwnShare),
        Binding([[.character("x")], [.delete]], .revokeShare, "Stop sharing the item with this user (asks first)",
                hint: "revoke", in: .sharedByMe, disabled: needsOwnShare),
    ]

    private static let inboxBindings: [Binding] = [
        Binding([[.enter], [.character("l")], [.right]], .openNotification,
                "Open the file at its version in Versions (a folder: in My Drive); marks it read",
                hint: "open", in: .inbox, disabled: needsNotification),
        Binding([[.character("r")]], .toggleRead, "Mark read, or unread again", hint: "read/unread", in: .inbox,
                disabled: needsNotification),
        Binding([[.character("R")]], .markAllRead, "Mark every notification read", hint: "all read", in: .inbox,
                disabled: { ($0.inbox.unread ?? 0) == 0 ? "Nothing is unread" : nil }),
        Binding([[.character("x")], [.delete]], .archiveNotification, "Archive the notification (in the archive: put it back)",
                hint: "archive", in: .inbox, disabled: needsNotification),
        Binding([[.character("A")]], .toggleArchive, "Show the archive, or the inbox again", hint: "archived", in: .inbox),
        Binding([[.character("f")]], .cycleKind, "Show one kind only (put, share, …); again: the next kind, then every kind",
                hint: "kind", in: .inbox, disabled: { $0.inbox.entries.isEmpty ? "No notifications to filter" : nil }),
    ]

    private static let conflictsBindings: [Binding] = [
        Binding([[.enter], [.character("m")], [.character("l")], [.right]], .openMerge,
                "Open the merge screen: the sides merged against their base, hunk by hunk", hint: "merge",
                in: .conflicts, disabled: needsOpenConflict),
        Binding([[.character("M")]], .keepSide(.mine), "Keep mine: the conflict version becomes the head (asks first)",
                hint: "keep mine", in: .conflicts, disabled: needsOpenConflict),
        Binding([[.character("T")]], .keepSide(.theirs), "Keep theirs: the head stays (asks first)", hint: "theirs",
                in: .conflicts, disabled: needsOpenConflict),
        Binding([[.character("B")]], .keepSide(.both), "Keep both: the head stays, the conflict version goes beside it (asks first)",
                hint: "both", in: .conflicts, disabled: needsOpenConflict),
        Binding([[.character("a")]], .toggleResolved, "Show resolved conflicts too, or only the open ones again",
                hint: "all", in: .conflicts),
    ]

    private static let devicesBindings: [Binding] = [
        Binding([[.character("s")]], .syncDevices(all: false), "Sync the device now, both ways (as cairn sync NAME)",
                hint: "sync", in: .devices, disabled: needsIdleDevice),
        Binding([[.character("S")]], .syncDevices(all: true), "Sync every device now", hint: "sync all", in: .devices,
                disabled: { $0.devices.entries?.isEmpty ?? true ? "No devices" : $0.devices.syncing.isEmpty ? nil : "A sync is running" }),
        Binding([[.enter], [.character("l")], [.right]], .openDeviceFolder, "Open the device's drive folder in My Drive",
                hint: "open", in: .devices, disabled: { $0.devices.selected == nil ? "No device selected" : nil }),
    ]

    /// Why a device cannot be synced from here now, or nil.
    private static func needsIdleDevice(_ state: AppState) -> String? {
        if state.devices.selected == nil { return "No devices: add one with cairn device add NAME --folder DIR" }
        return state.devices.syncing.isEmpty ? nil : "A sync is running"
    }

    private static let mergeBindings: [Binding] = [
        Binding([[.character("m")]], .takeSide(.mine), "Take mine for this hunk: the conflict version's lines",
                hint: "mine", in: .merge, disabled: needsHunk),
        Binding([[.character("t")]], .takeSide(.theirs), "Take theirs for this hunk: the head's lines", hint: "theirs",
                in: .merge, disabled: needsHunk),
        Binding([[.character("b")]], .takeSide(.both),
                "Take both, mine first (a binary file: the head stays, mine goes beside it)",
                hint: "both", in: .merge, disabled: needsHunk),
        Binding([[.character("w")]], .writeMerge, "Write the result as the file's new head, resolving the conflict",
                hint: "write", in: .merge, disabled: needsEveryHunk),
        Binding([[.character("e")]], .editHunk,
                "Edit this hunk in $VISUAL or $EDITOR (the sides between diff3 markers)",
                hint: "edit", in: .merge, disabled: needsTextHunk),
        Binding([[.character("n")], [.tab]], .stepHunk(forward: true), "Next hunk", hint: "next", in: .merge,
                disabled: needsHunk),
        Binding([[.character("p")], [.backTab]], .stepHunk(forward: false), "Previous hunk", hint: "prev", in: .merge,
                disabled: needsHunk),
        Binding([[.character("u")]], .undoChoice, "Undo the last choice", hint: "undo", in: .merge,
                disabled: { $0.merge?.canUndo == true ? nil : "Nothing to undo" }),
        Binding([[.character("j")], [.down]], .move(1), "Scroll down", in: .merge),
        Binding([[.character("k")], [.up]], .move(-1), "Scroll up", in: .merge),
        Binding([[.character(" ")], [.pageDown]], .page(1), "Page down", in: .merge),
        Binding([[.pageUp]], .page(-1), "Page up", in: .merge),
        Binding([[.character("g")], [.home]], .moveToTop, "Top", in: .merge),
        Binding([[.character("G")], [.end]], .moveToBottom, "Bottom", in: .merge),
        Binding([[.character("q")], [.escape]], .closeMerge,
                "Leave without writing; the conflict stays open (asks if choices would be lost)", hint: "close",
                in: .merge),
    ]

    private static let pagerBindings: [Binding] = [
        Binding([[.character("j")], [.down]], .move(1), "Scroll down", in: .pager),
        Binding([[.character("k")], [.up]], .move(-1), "Scroll up", in: .pager),
        Binding([[.character(" ")], [.pageDown]], .page(1), "Page down", hint: "page", in: .pager),
        Binding([[.character("b")], [.pageUp]], .page(-1), "Page up", in: .pager),
        Binding([[.character("g")], [.home]], .moveToTop, "Top", in: .pager),
        Binding([[.character("G")], [.end]], .moveToBottom, "Bottom", in: .pager),
        Binding([[.character("l")], [.right]], .scrollSideways(8), "Scroll right", in: .pager),
        Binding([[.character("h")], [.left]], .scrollSideways(-8), "Scroll left", in: .pager),
        Binding([[.character("q")], [.escape]], .cancel, "Close", hint: "close", in: .pager),
    ]

    private static let helpBindings: [Binding] = [
        Binding([[.character("q")], [.escape]], .closeHelp, "Close help and go back to where you were", hint: "close",
                in: .help),
    ]

    private static let fieldBindings: [Binding] = [
        Binding([[.down]], .move(1), "Down one row while filtering", in: .filter),
        Binding([[.up]], .move(-1), "Up one row while filtering", in: .filter),
        Binding([[.enter]], .submit, "Keep the filter and go back to the list", hint: "keep", in: .filter),
        Binding([[.escape]], .cancel, "Clear the filter", hint: "clear", in: .filter),
        Binding([[.tab]], .complete, "Complete the local path; several matches are listed", hint: "complete",
                in: .prompt),
        Binding([[.enter]], .submit, "Accept", hint: "ok", in: .textField),
        Binding([[.escape]], .cancel, "Cancel", hint: "cancel", in: .textField),
        Binding([[.left]], .edit(.left), "Cursor left", in: .textField),
        Binding([[.right]], .edit(.right), "Cursor right", in: .textField),
        Binding([[.home], [.ctrl("a")]], .edit(.home), "Cursor to the start", in: .textField),
        Binding([[.end], [.ctrl("e")]], .edit(.end), "Cursor to the end", in: .textField),
        Binding([[.backspace]], .edit(.deleteBackward), "Delete the character before the cursor", in: .textField),
        Binding([[.delete], [.ctrl("d")]], .edit(.deleteForward), "Delete the character under the cursor",
                in: .textField),
        Binding([[.ctrl("u")]], .edit(.clear), "Delete to the start", in: .textField),
        Binding([[.ctrl("w")]], .edit(.deleteWord), "Delete the word before the cursor", in: .textField),
        Binding([[.character("y")], [.enter]], .submit, "Yes", hint: "yes", in: .confirm),
        Binding([[.character("n")], [.escape]], .cancel, "No", hint: "no", in: .confirm),
    ]

    private static let shareDialogBindings: [Binding] = [
        Binding([[.enter]], .submit, "Share with the user typed, in the role chosen", hint: "share", in: .shareDialog),
        Binding([[.tab]], .complete, "Complete the user name; several matches are listed", hint: "complete",
                in: .shareDialog),
        Binding([[.down]], .move(1), "Next row: the role, then each existing share", hint: "role and shares",
                in: .shareDialog),
        Binding([[.up]], .move(-1), "Previous row", in: .shareDialog),
        Binding([[.escape]], .cancel, "Close the dialog", hint: "close", in: .shareDialog),
        Binding([[.character(" ")], [.left], [.right]], .toggleShareRole,
                "Switch viewer and editor (on a share: change that user's role)", hint: "viewer/editor", in: .shareRows),
        Binding([[.character("x")], [.delete]], .revokeShare, "Stop sharing with the selected user (asks first)", hint: "revoke",
                in: .shareRows, disabled: needsShareRow),
        Binding([[.character("j")]], .move(1), "Next row", in: .shareRows),
        Binding([[.character("k")]], .move(-1), "Previous row", in: .shareRows),
    ]

    // MARK: Disabled reasons

    private static func needsSelection(_ state: AppState) -> String? {
        state.browser.selectedEntry == nil ? (state.browser.filter.isEmpty ? "This folder is empty" : "Nothing matches the filter") : nil
    }

    private static func needsFile(_ state: AppState) -> String? {
        if let reason = needsSelection(state) { return reason }
        return state.browser.selectedEntry?.item.isFolder == true ? "Folders have no versions; select a file" : nil
    }

    private static func needsRealFolder(_ state: AppState) -> String? {
        state.browser.folder == AppState.sharedRoot
            ? "/shared only lists what others share with you: open a shared folder to add to it" : nil
    }

    private static func needsSharedFile(_ state: AppState) -> String? {
        guard let entry = state.sharing.selectedWithMe else { return "Nothing is shared with you" }
        return entry.item.isFolder ? "Folders have no versions; select a file" : nil
    }

    private static func needsOwnShare(_ state: AppState) -> String? {
        state.sharing.selectedByMe == nil ? "You share nothing yet: select an item in My Drive and press s" : nil
    }

    private static func needsNotification(_ state: AppState) -> String? {
        guard state.inbox.selected == nil else { return nil }
        return state.inbox.showsArchived ? "Nothing is archived" : "No notifications here"
    }

    private static func needsOpenConflict(_ state: AppState) -> String? {
        guard let conflict = state.conflicts.selected else { return "No open conflicts" }
        return conflict.isOpen ? nil : "This conflict is resolved already"
    }

    private static func needsHunk(_ state: AppState) -> String? {
        state.merge?.hunkCount == 0 ? "The sides merge cleanly: nothing to choose; w writes the result" : nil
    }

    private static func needsTextHunk(_ state: AppState) -> String? {
        state.merge?.isBinary == true ? "A binary file has no lines to edit: m, t or b" : needsHunk(state)
    }

    private static func needsEveryHunk(_ state: AppState) -> String? {
        guard let merge = state.merge, merge.undecidedCount > 0 else { return nil }
        if merge.isBinary { return "Choose first: m keeps mine, t theirs, b both" }
        return "\(Formatting.count(merge.undecidedCount, "hunk")) still \(merge.undecidedCount == 1 ? "needs" : "need") a choice: m, t, b or e (n: next hunk)"
    }

    private static func needsShareRow(_ state: AppState) -> String? {
        guard case .share(let share)? = state.dialog, case .share = share.focus else {
            return "Select a share with ↓ first"
        }
        return nil
    }

    private static func needsNoJob(_ state: AppState) -> String? {
        state.job.map { "Wait for “\($0.title)” to finish, or press Esc to cancel it" }
    }

    private static func needsVersion(_ state: AppState) -> String? {
        state.versions.selected == nil ? "No version selected: choose a file in My Drive and press v" : nil
    }

    private static func needsPreviousVersion(_ state: AppState) -> String? {
        if let reason = needsVersion(state) { return reason }
        guard let entry = state.versions.selected else { return nil }
        return state.versions.previous(of: entry) == nil ? "Version \(entry.version.number) has no earlier version to compare with" : nil
    }

    private static func needsOlderVersion(_ state: AppState) -> String? {
        if let reason = needsVersion(state) { return reason }
        return state.versions.selected?.isHead == true ? "This is already the head version" : nil
    }
}
