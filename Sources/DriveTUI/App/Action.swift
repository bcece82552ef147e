import DriveEngine
import Foundation
import ScreenKit

/// Everything that can change the state: what a key means (from the ``Keymap``), what the
/// terminal reports, and what background work sends back. Value type, Sendable.
public enum Action: Equatable, Sendable {
    // MARK: Terminal

    /// The terminal has a new size.
    case resized(TerminalSize)
    /// The mouse clicked a cell.
    case click(row: Int, column: Int)
    /// The wheel turned: rows to move, negative is up.
    case wheel(Int)

    // MARK: Keymap plumbing

    /// The first key of a longer binding was typed; wait for the next.
    case awaitNextKey(Key)
    /// A binding that cannot run now was pressed: show why.
    case explain(String)
    /// A key with no binding here.
    case unbound(Key)

    // MARK: Everywhere

    /// Leave the app.
    case quit
    /// Close the Help view and go back to the view it was opened from.
    case closeHelp
    /// Show a view.
    case show(ViewID)
    /// Give the keyboard to the next (or previous) pane.
    case cyclePane(forward: Bool)
    /// Open the `:` command line.
    case openCommandLine
    /// Esc: close the topmost dialog, field or pager, or cancel the running job.
    case cancel
    /// Repaint the whole screen (Ctrl-L).
    case redraw
    /// Stop the process and give the terminal back to the shell until `fg` (Ctrl-Z).
    case suspend

    // MARK: Lists and pagers

    /// Move the selection (or scroll) by rows.
    case move(Int)
    /// Move by pages.
    case page(Int)
    /// Go to the first row.
    case moveToTop
    /// Go to the last row.
    case moveToBottom
    /// Scroll the pager sideways by columns.
    case scrollSideways(Int)

    // MARK: My Drive

    /// Open the selected folder, or preview the selected file.
    case open
    /// Go to the parent folder (in Versions: back to My Drive).
    case goUp
    /// Start typing a filter.
    case startFilter
    /// Sort by a column (again: reverse).
    case sort(BrowserSort.Column)
    /// Show the versions of the selected file.
    case showVersions
    /// Ask for a local file or folder to add here.
    case addLocal
    /// Ask where to download the selection (or the selected version) to.
    case download
    /// Ask for a new folder's name.
    case newFolder
    /// Ask for a new name for the selection.
    case rename
    /// Ask where to move the selection.
    case moveItem
    /// Move the selection to the trash.
    case trashItem

    // MARK: Versions and Trash

    /// Preview the selected version.
    case previewVersion
    /// Show the selected version's changes against the version before it.
    case diffVersion
    /// Ask to make the selected version the new head.
    case restoreVersion
    /// Pin or unpin the selected version.
    case togglePin
    /// Put the selected trashed item back.
    case restoreFromTrash
    /// Ask to empty the trash.
    case emptyTrash

    // MARK: Sharing

    /// Open the share dialog for the selection (My Drive) or the selected share (Shared by me).
    case openShareDialog
    /// In the share dialog: switch the role to give, or change the selected share's role.
    case toggleShareRole
    /// Stop sharing: the selected share of the dialog, or (after a confirm) of Shared by me.
    case revokeShare

    // MARK: Inbox

    /// Open the selected notification's item (a file at its version in Versions) and mark it read.
    case openNotification
    /// Mark the selected notification read, or unread again.
    case toggleRead
    /// Mark every notification read.
    case markAllRead
    /// Archive the selected notification (in the archive: put it back in the inbox).
    case archiveNotification
    /// Show the archive instead of the inbox, or the inbox again.
    case toggleArchive
    /// Show only the next kind of notification (after the last: every kind).
    case cycleKind

    // MARK: Conflicts and the merge screen

    /// Sync the selected device (with `all`, every device) now.
    case syncDevices(all: Bool)
    /// Open the selected device's drive folder in My Drive.
    case openDeviceFolder
    /// List resolved conflicts too, or only the open ones again.
    case toggleResolved
    /// Open the merge screen for the selected conflict.
    case openMerge
    /// Ask to settle the selected conflict by keeping one side or both (as `cairn resolve --keep`).
    case keepSide(MergeSide)
    /// In the merge screen: take a side (or both) for the current hunk, or for a binary file.
    case takeSide(MergeSide)
    /// In the merge screen: go to the next (or previous) hunk.
    case stepHunk(forward: Bool)
    /// In the merge screen: undo the last choice.
    case undoChoice
    /// In the merge screen: edit the current hunk in `$EDITOR`.
    case editHunk
    /// In the merge screen: write the merged result as the file's new head.
    case writeMerge
    /// Leave the merge screen (asks first when choices would be lost).
    case closeMerge

    // MARK: Text fields and dialogs

    /// Edit the text field that has the keyboard.
    case edit(TextEdit)
    /// Tab in a prompt: complete the local path.
    case complete
    /// Enter in a field, or yes in a confirm dialog.
    case submit

    // MARK: Results of background work

    /// Every user's name, by id.
    case usersLoaded([Int64: String])
    /// A folder's entries.
    case listed(DrivePath, [Entry])
    /// The first entries of a big folder, in name order, so its first screen shows at once;
    /// `listed` with all of them follows.
    case listedFirst(DrivePath, [Entry])
    /// The versions of the file the Details pane shows.
    case detailsLoaded(DrivePath, [VersionEntry])
    /// The versions for the Versions view.
    case versionsLoaded(DrivePath, [VersionEntry])
    /// The trash's items.
    case trashLoaded([Entry])
    /// What this user shares and what is shared with them.
    case sharingLoaded(SharingOverview)
    /// Storage figures and the biggest files.
    case statsLoaded(StoreStats, [BiggestFile])
    /// A preview or diff to show.
    case pagerReady(PagerContent)
    /// Completions of the prompt text `text`: the completed text and the candidates.
    case completions(for: String, completed: String, candidates: [String])
    /// A change went through: say so and reload.
    case changed(String)
    /// Background work failed.
    case failed(DriveError)
    /// A check before a change refused it (nothing changed): say why, as an error.
    case refused(String)
    /// A job's progress.
    case jobProgress(Int, TransferProgressSnapshot)
    /// A job ended well.
    case jobFinished(Int, String)
    /// A job failed or was cancelled.
    case jobFailed(Int, DriveError)
    /// A download job stopped before writing anything: a local file (or folder) is at
    /// `target`, where downloading the item to `local` would write. Ask before replacing it.
    case localTargetExists(job: Int, DrivePath, local: String, target: String, isFolder: Bool, version: Int?)
    /// Another process (or this one) changed the drive: the journal reached this sequence, with
    /// the entries since the last one seen — `nil` when they could not all be read (then
    /// everything shown is reloaded).
    case driveChanged(Int64, entries: [JournalEntry]?)
    /// Notifications, newest first: the inbox, or the archive when `archived`.
    case inboxLoaded(archived: Bool, [InboxRow])
    /// The inbox's count: unread notifications, and the newest one's id (0 for none).
    case inboxCounted(unread: Int, newest: Int64)
    /// Notifications newer than those announced, newest first.
    case notificationsArrived([InboxRow])
    /// Where the notification Enter was pressed on leads.
    case notificationOpened(NotificationTarget)
    /// The conflicts (with `all`, the resolved ones too).
    case conflictsLoaded(all: Bool, [ConflictInfo])
    /// Each device's status.
    case devicesLoaded([DeviceStatus])
    /// A sync started from the Devices view finished: what each device's did, or why it failed.
    case devicesSynced([SyncReport], failure: String?)
    /// A conflict's sides, merged, for the merge screen.
    case mergeReady(MergeInput)
    /// What `$EDITOR` left for hunk `hunk` of conflict `conflict`; nil when the editor failed.
    case hunkEdited(conflict: Int64, hunk: Int, Data?)
    /// A conflict was settled: say so and reload.
    case conflictResolved(ConflictInfo, String)
}
