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
        guard let owner = entry.ownerId,
              let ownerPath = try? DrivePath(entry.path, operation: "journal") else { return nil }
        var best: (depth: Int, path: DrivePath)?
        for shared in try sharedEntries(db) where shared.item.ownerId == owner {
            let root = try Drive.itemPath(shared.item.id!, db)
            guard ownerPath.isWithin(root), root.components.count >= (best?.depth ?? -1) else { continue }
            let below = ownerPath.components.dropFirst(root.components.count)
            best = (root.components.count, DrivePath(validated: shared.path.components + below))
        }
        return best?.path.description
    }
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
