import Foundation
import GRDB

extension DriveSession {
    /// Items in this user's trash, most recently trashed first.
    public func trashList() throws(DriveError) -> [Entry] {
        try drive.read("trash list", "") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT item.*, user.name AS modifiedByName,
                       (SELECT linkTarget FROM version WHERE version.id = item.headVersionId) AS linkTarget
                FROM item JOIN user ON user.id = item.modifiedBy
                WHERE ownerId = ? AND trashedAt IS NOT NULL ORDER BY trashedAt DESC
                """, arguments: [userID])
            return try rows.map { row in
                let item = try Item(row: row)
                let path = (try? DrivePath(item.trashedPath ?? "/" + item.name)) ?? DrivePath(validated: [item.name])
                return Entry(item: item, path: path, modifiedByName: row["modifiedByName"], linkTarget: row["linkTarget"])
            }
        }
    }

    /// Puts the most recently trashed item that was at `path` back where it was.
    @discardableResult
    public func untrash(_ path: String) throws(DriveError) -> Item {
        let path = try parsePath(path, "trash restore")
        try Self.checkNotReserved(path, "trash restore")
        return try drive.write("trash restore", path.description) { db in
            guard var item = try Item.fetchOne(db, sql: """
                SELECT * FROM item WHERE ownerId = ? AND trashedPath = ? AND trashedAt IS NOT NULL ORDER BY trashedAt DESC LIMIT 1
                """, arguments: [userID, path.description]) else {
                throw DriveError(.notFound, "trash restore", path.description, "nothing with this path is in the trash", hint: "see 'cairn trash list'")
            }
            guard let parent = try lookup(db, path.parent), parent.id == item.parentId else {
                throw DriveError(.notFound, "trash restore", path.description, "its folder \(path.parent) is gone",
                                 hint: "restore \(path.parent) first")
            }
            if try lookup(db, path) != nil {
                throw DriveError(.alreadyExists, "trash restore", path.description, "something with this name exists now",
                                 hint: "rename or remove it first")
            }
            item.trashedAt = nil
            item.trashedPath = nil
            try item.update(db)
            try journal(db, .untrashed, path, item: item.id)
            return item
        }
    }

    /// Deletes the most recently trashed item that was at `path` (and what is inside it) for
    /// good, then sweeps blocks nothing refers to. Only the owner's trash holds it.
    public func purge(_ path: String) throws(DriveError) {
        let path = try parsePath(path, "trash purge")
        try drive.write("trash purge", path.description) { db in
            guard let id = try Int64.fetchOne(db, sql: """
                SELECT id FROM item WHERE ownerId = ? AND trashedPath = ? AND trashedAt IS NOT NULL ORDER BY trashedAt DESC LIMIT 1
                """, arguments: [userID, path.description]) else {
                throw DriveError(.notFound, "trash purge", path.description, "nothing with this path is in the trash", hint: "see 'cairn trash list'")
            }
            let count = try deleteForGood(db, where: "id = ?", [id])
            try journal(db, .purged, path, item: nil, amount: Int64(count), detail: "\(count) items")
        }
        _ = try drive.collectGarbage()
    }

    /// Deletes the items matching `condition` and everything below them, with their versions.
    /// Returns how many items went.
    func deleteForGood(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> Int {
        let ids = try Int64.fetchAll(db, sql: """
            WITH RECURSIVE doomed(id) AS (
                SELECT id FROM item WHERE \(condition)
                UNION SELECT item.id FROM item JOIN doomed ON item.parentId = doomed.id
            ) SELECT id FROM doomed
            """, arguments: StatementArguments(arguments))
        for batch in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[batch..<min(batch + 500, ids.count)])
            let marks = databaseQuestionMarks(count: slice.count)
            try db.execute(sql: "DELETE FROM version WHERE itemId IN (\(marks))", arguments: StatementArguments(slice))
            try db.execute(sql: "UPDATE item SET parentId = NULL WHERE id IN (\(marks))", arguments: StatementArguments(slice))
        }
        for batch in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[batch..<min(batch + 500, ids.count)])
            try db.execute(sql: "DELETE FROM item WHERE id IN (\(databaseQuestionMarks(count: slice.count)))", arguments: StatementArguments(slice))
        }
        return ids.count
    }

    /// Deletes everything in this user's trash for good, then sweeps blocks nothing refers to.
    /// Returns how many items (counting the contents of folders) were purged.
    @discardableResult
    public func emptyTrash() throws(DriveError) -> Int {
        let purged = try drive.write("trash empty", "") { db -> Int in
            let count = try deleteForGood(db, where: "ownerId = ? AND trashedAt IS NOT NULL", [userID])
            if count > 0 { try journal(db, .purged, .root, item: nil, amount: Int64(count), detail: "\(count) items") }
            return count
        }
        if purged > 0 { _ = try drive.collectGarbage() }
        return purged
    }
}
