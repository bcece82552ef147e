import Foundation
import GRDB

/// The change journal: the outbox of every visible change. Each change appends one typed entry
/// inside the transaction that commits it, so an entry exists exactly when its change does;
/// consumers (the notifier, devices, the TUI) tail it by `seq` with cursors of their own.
extension Drive {
    /// The latest journal sequence number (0 when nothing happened yet).
    public func latestSequence() throws(DriveError) -> Int64 {
        try read("journal", "") { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") ?? 0 }
    }

    /// Journal entries after `seq`, oldest first.
    public func journal(after seq: Int64, limit: Int = 1000) throws(DriveError) -> [JournalEntry] {
        try read("journal", "") { db in
            try JournalEntry.fetchAll(db, sql: "SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
        }
    }

    /// Appends `kind` to the journal in the caller's transaction. With an `item`, the owner and
    /// the path are the item's own (owner-relative, whoever acted; `path` is taken as that path
    /// when `pathIsOwners` says it already is), and a `version` brings its number; otherwise
    /// `path` and `owner` are taken as given. A caller that has just read or written the item and
    /// the version passes their owner and number as `known`, sparing the lookup (a folder put
    /// journals every file).
    static func journal(_ db: Database, _ kind: ChangeKind, at: Date, actor: Int64?, item: Int64? = nil,
                        version: Int64? = nil, path: DrivePath = .root, pathIsOwners: Bool = false, owner: Int64? = nil,
                        target: Int64? = nil, role: Role? = nil, oldParent: Int64? = nil, newParent: Int64? = nil,
                        amount: Int64? = nil, detail: String? = nil, device: String? = nil,
                        known: (owner: Int64, versionNumber: Int?)? = nil) throws {
        var ownerID = owner
        var ownerPath = path
        let itemOwner: Int64?
        let number: Int?
        if let known, item != nil {
            (itemOwner, number) = known
        } else {
            // One lookup for both: the item's owner and the version's number.
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT (SELECT ownerId FROM item WHERE id = ?) AS owner, (SELECT number FROM version WHERE id = ?) AS number
                """), arguments: [item, version])
            (itemOwner, number) = (row?["owner"], row?["number"])
        }
        if let item, let itemOwner {
            if !(pathIsOwners && itemOwner == owner) { ownerPath = try itemPath(item, db) }
            ownerID = itemOwner
        }
        try db.cachedStatement(sql: """
            INSERT INTO journal (at, kind, actorId, ownerId, itemId, versionId, versionNumber, path, targetUserId, role,
                                 oldParentId, newParentId, originDevice, amount, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run {
                $0.add(at.timeIntervalSince1970); $0.add(kind.rawValue); $0.add(actor); $0.add(ownerID); $0.add(item); $0.add(version)
                $0.add(number); $0.add(ownerPath.description); $0.add(target); $0.add(role?.rawValue); $0.add(oldParent)
                $0.add(newParent); $0.add(device); $0.add(amount); $0.add(detail)
            }
    }
}

extension DriveSession {
    /// Appends `kind`, made by this session's user, to the journal in the caller's transaction.
    func journal(_ db: Database, _ kind: ChangeKind, _ path: DrivePath, item: Int64?, version: Int64? = nil,
                 target: Int64? = nil, role: Role? = nil, oldParent: Int64? = nil, newParent: Int64? = nil,
                 amount: Int64? = nil, detail: String? = nil, known: (owner: Int64, versionNumber: Int?)? = nil) throws {
        // A path outside /shared is in this user's own drive: when the item is theirs, it is the
        // owner's path already (no walk up the parents).
        try Drive.journal(db, kind, at: drive.clock(), actor: userID, item: item, version: version, path: path,
                          pathIsOwners: !Self.isSharedPath(path), owner: userID, target: target, role: role,
                          oldParent: oldParent, newParent: newParent, amount: amount, detail: detail, device: device,
                          known: known)
    }
}
