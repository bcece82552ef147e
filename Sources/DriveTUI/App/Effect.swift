import DriveEngine
import Foundation

/// Work the reducer asks for: engine calls and file-system reads, run off the main actor by
/// the ``EffectRunner``, whose results come back as ``Action``s. Value type, Sendable.
public enum Effect: Equatable, Sendable {
    /// Load every user's name → ``Action/usersLoaded(_:)``.
    case loadUsers
    /// List a folder → ``Action/listed(_:_:)``.
    case list(DrivePath)
    /// Load a file's versions for the Details pane → ``Action/detailsLoaded(_:_:)``.
    case loadDetails(DrivePath)
    /// Load a file's versions for the Versions view → ``Action/versionsLoaded(_:_:)``.
    case loadVersions(DrivePath)
    /// Load the trash → ``Action/trashLoaded(_:)``.
    case loadTrash
    /// Load what this user shares and what is shared with them → ``Action/sharingLoaded(_:)``.
    case loadSharing
    /// Load storage figures → ``Action/statsLoaded(_:_:)``.
    case loadStats
    /// Preview a version (the head when `nil`) → ``Action/pagerReady(_:)``.
    case preview(DrivePath, version: Int?)
    /// Diff version `old` against `new` → ``Action/pagerReady(_:)``.
    case diff(DrivePath, old: Int, new: Int)
    /// Make a new head version from an old one → ``Action/changed(_:)``.
    case restoreVersion(DrivePath, version: Int)
    /// Pin or unpin a version → ``Action/changed(_:)``.
    case setPinned(DrivePath, version: Int, pinned: Bool)
    /// Make a folder (with `parents`, also missing parents; an existing folder is fine)
    /// → ``Action/changed(_:)``.
    case makeFolder(DrivePath, parents: Bool = false)
    /// Rename or move → ``Action/changed(_:)``.
    case move(DrivePath, to: DrivePath)
    /// Move into an existing folder, never rename: when `folder` is no folder nothing changes
    /// → ``Action/changed(_:)`` or ``Action/refused(_:)``.
    case moveInto(DrivePath, folder: DrivePath)
    /// Move to the trash → ``Action/changed(_:)``.
    case trash(DrivePath)
    /// Take out of the trash → ``Action/changed(_:)``.
    case untrash(DrivePath)
    /// Empty the trash → ``Action/changed(_:)``.
    case emptyTrash
    /// Share an item with a user in a role (again: change the role) → ``Action/changed(_:)``.
    case share(DrivePath, with: String, role: Role)
    /// Stop sharing an item with a user → ``Action/changed(_:)``.
    case unshare(DrivePath, with: String)
    /// Add a local file or folder as job `job` → progress, then ``Action/jobFinished(_:_:)``.
    case put(job: Int, local: String, to: DrivePath)
    /// Download to a local path (into it when it is an existing local folder, like cp) as job
    /// `job` → progress, then ``Action/jobFinished(_:_:)``. Without `force`, something already
    /// at the target ends the job with ``Action/localTargetExists(job:_:local:target:isFolder:version:)``
    /// and nothing is written; with it, that is replaced.
    case get(job: Int, DrivePath, local: String, version: Int?, force: Bool = false)
    /// Stop job `job` (Esc); it ends with ``Action/jobFailed(_:_:)`` (cancelled).
    case cancelJob(Int)
    /// Load this user's notifications (or the archived ones) → ``Action/inboxLoaded(archived:_:)``.
    case loadInbox(archived: Bool)
    /// Count the unread notifications → ``Action/inboxCounted(unread:newest:)``.
    case countInbox
    /// Load the notifications newer than `after` → ``Action/notificationsArrived(_:)``.
    case loadNewNotifications(after: Int64)
    /// Mark a notification read or unread → ``Action/inboxCounted(unread:newest:)``.
    case markRead(Int64, read: Bool)
    /// Mark every notification read → ``Action/inboxCounted(unread:newest:)``.
    case markAllRead
    /// Archive a notification, or put it back → ``Action/inboxCounted(unread:newest:)``.
    case archive(Int64, unarchive: Bool)
    /// Find where a notification's link leads now → ``Action/notificationOpened(_:)``.
    case openLink(NotificationLink)
    /// Look at each device (its folder and the drive, changing nothing) → ``Action/devicesLoaded(_:)``.
    case loadDevices
    /// Sync these devices, one after another → ``Action/devicesSynced(_:failure:)``.
    case syncDevices([String])
    /// Load the conflicts (with `all`, the resolved ones too) → ``Action/conflictsLoaded(all:_:)``.
    case loadConflicts(all: Bool)
    /// Read conflict `id`'s sides and merge them → ``Action/mergeReady(_:)``.
    case loadMerge(DrivePath, id: Int64)
    /// Settle conflict `id` by keeping a side or both → ``Action/conflictResolved(_:_:)``.
    case keepSide(DrivePath, id: Int64, MergeSide)
    /// Write `merged` as the new head settling conflict `id`, unless the head moved past
    /// `head` since the sides were read → ``Action/conflictResolved(_:_:)``.
    case writeMerge(DrivePath, id: Int64, head: Int, merged: Data)
    /// Open `text` in `$EDITOR` (the screen handed back meanwhile), named like the file `name`
    /// → ``Action/hunkEdited(conflict:hunk:_:)``. Run by the app on the main actor, as it owns
    /// the terminal.
    case editText(conflict: Int64, hunk: Int, name: String, text: Data)
    /// Complete a local path typed in a prompt → ``Action/completions(for:completed:candidates:)``.
    case completeLocalPath(String)
}
