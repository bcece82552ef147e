import Foundation
import GRDB

/// One share of an item this user owns: who it is shared with and how.
public struct OutgoingShare: Sendable, Equatable {
    /// The item's path in the owner's drive.
    public var path: DrivePath
    public var item: Item
    public var userName: String
    public var role: Role
}

/// What a user shares and what is shared with them.
public struct SharingOverview: Sendable, Equatable {
    public var sharedByMe: [OutgoingShare]
    public var sharedWithMe: [SharedEntry]
}

extension DriveSession {
    /// Shares the item at `path` (which this user must own) with user `name` as viewer or editor;
    /// sharing again changes the role.
    public func share(_ path: String, with name: String, role: Role) throws(DriveError) {
        let path = try parsePath(path, "share")
        guard role != .owner else {
            throw DriveError(.invalidArgument, "share", path.description, "a share is viewer or editor", hint: "use 'cairn transfer' to give ownership")
        }
        let other = try drive.user(named: name)
        guard other.id != userID else { throw DriveError(.invalidArgument, "share", path.description, "you cannot share with yourself") }
        try drive.write("share", path.description) { db in
            if path.isRoot { throw DriveError(.invalidArgument, "share", "/", "share a file or folder, not your whole drive") }
            let item = try resolve(db, path, "share")
            try require(.owner, db, item, path, "share")
            try checkRaises(db, item, path, for: other, to: role)
            try db.execute(sql: """
                INSERT INTO share (itemId, userId, role, sharedBy, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(itemId, userId) DO UPDATE SET role = excluded.role
                """, arguments: [item.id, other.id, role.rawValue, userID, drive.clock().timeIntervalSince1970])
            try journal(db, .shared, try self.path(of: item.id!, db), item: item.id, target: other.id, role: role,
                        detail: "\(other.name) \(role.rawValue)")
        }
    }

    /// Refuses a share of `item` with `other` as `role` that would have no effect: a share on a
    /// folder above already gives them that role or a higher one (a share below may raise an
    /// inherited role, never lower it).
    private func checkRaises(_ db: Database, _ item: Item, _ path: DrivePath, for other: User, to role: Role) throws {
        var inherited: (role: Role, from: Int64)?
        var current = try item.parentId.flatMap { try Self.item(db, id: $0) }
        let statement = try db.cachedStatement(sql: "SELECT role FROM share WHERE itemId = ? AND userId = ?")
        while let node = current {
            // Walking up: keep the nearest folder that gives the highest role.
            if let raw = try String.fetchOne(statement, arguments: [node.id, other.id]), let found = Role(rawValue: raw),
               inherited.map({ found > $0.role }) ?? true {
                inherited = (found, node.id!)
            }
            current = try node.parentId.flatMap { try Self.item(db, id: $0) }
        }
        guard let inherited, inherited.role >= role else { return }
        let through = try self.path(of: inherited.from, db)
        let direct = try Bool.fetchOne(db, sql: "SELECT 1 FROM share WHERE itemId = ? AND userId = ?", arguments: [item.id, other.id]) ?? false
        let reason = inherited.role > role
            ? "\(other.name) already has \(inherited.role.rawValue) on \(path) through \(through); a share below can only raise a role"
            : "\(other.name) already has \(role.rawValue) on \(path) through \(through); this share would add nothing"
        throw DriveError(.invalidArgument, "share", path.description, reason,
                         hint: direct ? "to drop the share on \(path) itself, use 'cairn unshare \(path) --with \(other.name)'"
                             : "change the share on \(through) instead")
    }

    /// Stops sharing the item at `path` with user `name`; takes effect at once, for every session.
    public func unshare(_ path: String, with name: String) throws(DriveError) {
        let path = try parsePath(path, "unshare")
        let other = try drive.user(named: name)
        try drive.write("unshare", path.description) { db in
            let item = try resolve(db, path, "unshare")
            try require(.owner, db, item, path, "unshare")
            try db.execute(sql: "DELETE FROM share WHERE itemId = ? AND userId = ?", arguments: [item.id, other.id])
            guard db.changesCount > 0 else {
                throw DriveError(.notFound, "unshare", path.description, "it is not shared with \(other.name)", hint: "see 'cairn shared'")
            }
            try journal(db, .unshared, try self.path(of: item.id!, db), item: item.id, target: other.id, detail: other.name)
        }
    }

    /// What this user shares with others, and what others share with them.
    public func sharing() throws(DriveError) -> SharingOverview {
        try drive.read("shared", "") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT item.*, share.role AS shareRole, other.name AS userName FROM share
                JOIN item ON item.id = share.itemId JOIN user AS other ON other.id = share.userId
                WHERE item.ownerId = ? AND item.trashedAt IS NULL ORDER BY item.id, other.name
                """, arguments: [userID])
            let outgoing = try rows.map { row in
                let item = try Item(row: row)
                return OutgoingShare(path: try path(of: item.id!, db), item: item, userName: row["userName"],
                                     role: Role(rawValue: row["shareRole"]) ?? .viewer)
            }
            return SharingOverview(sharedByMe: outgoing.sorted { $0.path < $1.path }, sharedWithMe: try sharedEntries(db))
        }
    }

    /// Gives the item at `path` (and everything below it) to user `name`. It moves to the top of
    /// their drive (renamed "name (from me)" if the name is taken there) and the old owner keeps
    /// editor access to it, as in Google Drive.
    @discardableResult
    public func transfer(_ path: String, to name: String) throws(DriveError) -> DrivePath {
        let path = try parsePath(path, "transfer")
        let other = try drive.user(named: name)
        guard other.id != userID else { throw DriveError(.invalidArgument, "transfer", path.description, "you already own it") }
        return try drive.write("transfer", path.description) { db in
            if path.isRoot { throw DriveError(.invalidArgument, "transfer", "/", "your root folder cannot be given away") }
            var item = try resolve(db, path, "transfer")
            try require(.owner, db, item, path, "transfer")
            let subtree = try Int64.fetchAll(db, sql: """
                WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT item.id FROM item JOIN below ON item.parentId = below.id)
                SELECT id FROM below
                """, arguments: [item.id])
            let usage = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(size), 0) FROM version WHERE itemId IN (\(databaseQuestionMarks(count: subtree.count)))
                """, arguments: StatementArguments(subtree)) ?? 0
            try Drive.checkQuota(db, owner: other.id!, adding: usage, "transfer", path.description)
            var newName = item.name
            let taken = try Self.child(db, of: other.rootId!, named: newName) != nil
            if newName == Self.sharedRoot || taken { newName = "\(item.name) (from \(user.name))" }
            if try Self.child(db, of: other.rootId!, named: newName) != nil {
                throw DriveError(.alreadyExists, "transfer", path.description, "\(other.name) already has '\(newName)'", hint: "rename it first")
            }
            for batch in stride(from: 0, to: subtree.count, by: 500) {
                let slice = Array(subtree[batch..<min(batch + 500, subtree.count)])
                let marks = databaseQuestionMarks(count: slice.count)
                try db.execute(sql: "UPDATE item SET ownerId = ? WHERE id IN (\(marks))", arguments: StatementArguments([other.id!] + slice))
                try db.execute(sql: "DELETE FROM share WHERE userId = ? AND itemId IN (\(marks))", arguments: StatementArguments([other.id!] + slice))
            }
            item = try Self.item(db, id: item.id!)!
            item.parentId = other.rootId
            item.name = newName
            item.ownerId = other.id!
            try item.update(db)
            try db.execute(sql: """
                INSERT INTO share (itemId, userId, role, sharedBy, createdAt) VALUES (?, ?, 'editor', ?, ?)
                ON CONFLICT(itemId, userId) DO UPDATE SET role = 'editor'
                """, arguments: [item.id, userID, other.id, drive.clock().timeIntervalSince1970])
            let newPath = DrivePath(validated: [newName])
            try journal(db, .transferred, newPath, item: item.id, target: other.id, detail: "\(path) from \(user.name) to \(other.name)")
            return newPath
        }
    }
}
