import GRDB

/// What a change journal entry records: a closed set, stored as text with a CHECK constraint.
///
/// The raw values are the words the journal has always used; a new kind needs a migration that
/// widens the CHECK (see `Schema`), and `JournalSchemaTests` fails until it has one.
public enum ChangeKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// A folder was made (`item`, `path`).
    case folderCreated = "mkdir"
    /// A file got a new version by a put (`item`, `version`, `versionNumber`).
    case versionAdded = "put"
    /// An old version was restored as a new head (`versionNumber` is the new one, `amount` the old).
    case restored = "restore"
    /// A version was pinned or unpinned (`versionNumber`).
    case pinned = "pin", unpinned = "unpin"
    /// An item was renamed or moved (`oldParent`, `newParent`; `detail` is the old path).
    case moved = "move"
    /// An item went to its owner's trash, or came back from it.
    case trashed = "trash", untrashed = "untrash"
    /// Items left the trash for good (`amount` of them, counting folder contents).
    case purged = "purge"
    /// An item was shared with `targetUser` as `role`, or the share was revoked.
    case shared = "share", unshared = "unshare"
    /// An item changed owner to `targetUser` (`owner` is the new owner).
    case transferred = "transfer"
    /// A user was added (`targetUser`).
    case userAdded = "userAdd"
    /// A user's quota changed (`targetUser`; `amount` in bytes, nil for none).
    case quotaChanged = "quota"
    /// The store's version cap changed (`amount`).
    case versionCapChanged = "versionCap"
    /// The version cap dropped `amount` old versions of `item`.
    case versionsDropped = "versionDrop"
    /// A write from a stale base was kept as a conflict version (`version`).
    case conflict = "conflict"
}
