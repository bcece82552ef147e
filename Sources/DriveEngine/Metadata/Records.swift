import Foundation
import GRDB

/// A record whose dates are stored as seconds since 1970 (DOUBLE), as in every Cairn table.
public protocol TimestampedRecord: FetchableRecord, MutablePersistableRecord {}

extension TimestampedRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}

/// A person with a drive of their own, and the contact info notifications use.
public struct User: Codable, Sendable, Equatable, TimestampedRecord {
    public static let databaseTableName = "user"
    public var id: Int64?
    public var name: String
    public var displayName: String
    public var email: String?
    public var phone: String?
    public var quotaBytes: Int64?
    /// The user's root folder (the item whose path is "/").
    public var rootId: Int64?
    public var createdAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Whether an item is a file or a folder.
public enum ItemKind: String, Codable, Sendable {
    case file, folder
}

/// A file or folder. Its id is stable across rename and move; its content lives in versions.
public struct Item: Codable, Sendable, Equatable, TimestampedRecord {
    public static let databaseTableName = "item"
    public var id: Int64?
    public var parentId: Int64?
    public var ownerId: Int64
    public var name: String
    public var kind: ItemKind
    public var createdAt: Date
    public var modifiedAt: Date
    public var modifiedBy: Int64
    public var headVersionId: Int64?
    /// Size of the head version (0 for folders).
    public var size: Int64
    /// How many versions the file has.
    public var versionCount: Int
    public var trashedAt: Date?
    /// The path the item had when it went to the trash.
    public var trashedPath: String?

    public var isFolder: Bool { kind == .folder }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One immutable state of a file's content.
public struct Version: Codable, Sendable, Equatable, TimestampedRecord {
    public static let databaseTableName = "version"
    public var id: Int64?
    public var itemId: Int64
    /// 1, 2, 3… per file.
    public var number: Int
    public var size: Int64
    /// SHA-256 over the file's block ids (see `fileDigest(of:)`).
    public var digest: Data
    public var authorId: Int64
    public var createdAt: Date
    /// The head version the writer started from; nil for a new file.
    public var baseVersionId: Int64?
    /// Set when the version was made by restoring an older one.
    public var restoredFrom: Int?
    /// "committed", or "conflict" for a write from a stale base kept beside the head.
    public var state: String
    public var pinned: Bool
    public var blockCount: Int
    /// Blocks this version added to the store; the rest were already stored.
    public var newBlocks: Int
    /// For a version that resolved a conflict: the conflict version it settled (its other
    /// side is `baseVersionId`, the head it replaced).
    public var mergedFrom: Int64?
    /// Set when the version is a symbolic link: its target, as `readlink` gave it (never
    /// followed, whether it points inside the folder, outside it or nowhere). A link's content
    /// is empty: size 0, no blocks.
    public var linkTarget: String? = nil

    public var sharedBlocks: Int { blockCount - newBlocks }
    /// Whether this version was kept as a conflict (it never was the head by its own write).
    public var isConflict: Bool { state == Version.conflictState }
    static let conflictState = "conflict"
    /// Whether the version is a symbolic link rather than content.
    public var isLink: Bool { linkTarget != nil }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An entry of the change journal: the ordered record of every change.
/// One change, as the journal (the outbox every consumer tails) records it: typed fields a
/// consumer reads without parsing text. Paths are the owner's (`/docs/a.txt` in the owner's
/// drive); `DriveSession.visiblePath(of:)` renders one user's own view of them.
public struct JournalEntry: Codable, Sendable, Equatable, TimestampedRecord {
    public static let databaseTableName = "journal"
    public var seq: Int64?
    public var at: Date
    public var kind: ChangeKind
    /// Who made the change; nil for the store itself (user added, quota, cap changed by an admin).
    public var actorId: Int64?
    /// Whose drive the item is in; nil for store-wide changes.
    public var ownerId: Int64?
    public var itemId: Int64?
    public var versionId: Int64?
    public var versionNumber: Int?
    /// The item's path in its owner's drive (after the change).
    public var path: String
    /// The other user of a share, unshare, transfer, user or quota change.
    public var targetUserId: Int64?
    public var role: Role?
    public var oldParentId: Int64?
    public var newParentId: Int64?
    /// The device the change came from; nil for changes made directly (CLI, TUI).
    public var originDevice: String?
    /// A number the kind gives meaning to (items purged, versions dropped, bytes, the cap).
    public var amount: Int64?
    /// Words for people only (the old path of a move); consumers never parse it.
    public var detail: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { seq = inserted.rowID }
}

extension JournalEntry {
    /// The columns `init(row:position:)` reads, in order.
    static let columns = "seq, at, kind, actorId, ownerId, itemId, versionId, versionNumber, path, targetUserId, role, oldParentId, newParentId, originDevice, amount, detail"

    /// Decodes a row of `columns` by position: fan-out reads entries by the thousand, and
    /// decoding by column name was a fifth of its time.
    init(positional row: Row) {
        seq = row[0]
        at = Date(timeIntervalSince1970: row[1])
        kind = row[2]
        actorId = row[3]
        ownerId = row[4]
        itemId = row[5]
        versionId = row[6]
        versionNumber = row[7]
        path = row[8]
        targetUserId = row[9]
        role = (row[10] as String?).flatMap(Role.init(rawValue:))
        oldParentId = row[11]
        newParentId = row[12]
        originDevice = row[13]
        amount = row[14]
        detail = row[15]
    }
}

extension Item {
    /// The columns `init(listRow:)` reads, in order.
    static let listColumns = "id, parentId, ownerId, name, kind, createdAt, modifiedAt, modifiedBy, headVersionId, size, versionCount, trashedAt, trashedPath"
    /// How many columns `listColumns` names: a query may select more after them.
    static let listColumnCount = 13

    /// Decodes a row of `listColumns` by position: the fast path for large listings.
    init(listRow row: Row) {
        id = row[0]
        parentId = row[1]
        ownerId = row[2]
        name = row[3]
        kind = (row[4] as String) == "folder" ? .folder : .file
        createdAt = Date(timeIntervalSince1970: row[5])
        modifiedAt = Date(timeIntervalSince1970: row[6])
        modifiedBy = row[7]
        headVersionId = row[8]
        size = row[9]
        versionCount = row[10]
        trashedAt = (row[11] as Double?).map(Date.init(timeIntervalSince1970:))
        trashedPath = row[12]
    }
}
