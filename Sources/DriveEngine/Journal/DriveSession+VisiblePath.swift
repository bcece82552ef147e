import GRDB

extension DriveSession {
    /// Where this session's user sees the item of journal entry `entry`: the owner sees the
    /// owner's path, a sharee the path below `/shared` through the nearest share, anyone else
    /// nothing (nil). Each recipient of a notification is told of the path it can open.
    public func visiblePath(of entry: JournalEntry) throws(DriveError) -> String? {
        if entry.ownerId == userID { return entry.path }
        guard let owner = entry.ownerId,
              let ownerPath = try? DrivePath(entry.path, operation: "journal") else { return nil }
        return try drive.read("journal", entry.path) { db -> String? in
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
}
