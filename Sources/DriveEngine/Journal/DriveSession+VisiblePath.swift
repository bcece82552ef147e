import Foundation
import GRDB

extension DriveSession {
    /// Where this session's user sees the item of journal entry `entry`: the owner sees the
    /// owner's path, a sharee the path below `/shared` through the nearest share, anyone else
    /// nothing (nil). Each recipient of a notification is told of the path it can open.
    public func visiblePath(of entry: JournalEntry) throws(DriveError) -> String? {
        if entry.ownerId == userID { return entry.path }
        return try drive.read("journal", entry.path) { db in try visiblePath(db, of: entry) }
    }

    /// `visiblePath(of:)` inside the caller's transaction.
    func visiblePath(_ db: Database, of entry: JournalEntry) throws -> String? {
        if entry.ownerId == userID { return entry.path }
        return Self.visiblePath(of: entry, for: userID, through: try shareRoots(db))
    }

    /// The items shared with this user: whose they are, where they are in the owner's drive and
    /// where this user sees them (below `/shared`).
    func shareRoots(_ db: Database) throws -> [ShareRoot] {
        try sharedEntries(db).map { shared in
            ShareRoot(owner: shared.item.ownerId, ownerPath: try Drive.itemPath(shared.item.id!, db), sharedPath: shared.path)
        }
    }

    /// Where user `user`, whose shares are `roots`, sees the item of `entry` (the nearest share
    /// above it wins); nil when no share covers it.
    static func visiblePath(of entry: JournalEntry, for user: Int64, through roots: [ShareRoot]) -> String? {
        if entry.ownerId == user { return entry.path }
        guard let owner = entry.ownerId, let ownerPath = try? DrivePath(entry.path, operation: "journal") else { return nil }
        var best: (depth: Int, path: DrivePath)?
        for root in roots where root.owner == owner {
            guard ownerPath.isWithin(root.ownerPath), root.ownerPath.components.count >= (best?.depth ?? -1) else { continue }
            let below = ownerPath.components.dropFirst(root.ownerPath.components.count)
            best = (root.ownerPath.components.count, DrivePath(validated: root.sharedPath.components + below))
        }
        return best?.path.description
    }
}

/// An item shared with a user, as path rendering needs it.
struct ShareRoot {
    var owner: Int64
    var ownerPath: DrivePath
    var sharedPath: DrivePath
}

extension DriveSession {
    /// Where this session's user sees item `id` now (after any moves since a notification named
    /// it): the owner's path, a path below `/shared`, or nil when the item is gone, trashed or
    /// not visible to them. A notification's link (`cairn:item/ID/version/N`) opens through this.
    public func visiblePath(ofItem id: Int64) throws(DriveError) -> String? {
        try drive.read("open", "item \(id)") { db -> String? in
            guard let item = try Self.item(db, id: id), item.trashedAt == nil, try isLive(db, item) else { return nil }
            let probe = JournalEntry(at: Date(), kind: .versionAdded, ownerId: item.ownerId, itemId: id,
                                     path: try Drive.itemPath(id, db).description)
            return try visiblePath(db, of: probe)
        }
    }
}
