import Blocks
import Foundation
import GRDB

/// A version with the name of its author: one row of `cairn log`.
public struct VersionEntry: Sendable, Equatable {
    public var version: Version
    public var authorName: String
    public var isHead: Bool
    /// The number of the version it was edited from, when that is still kept.
    public var baseNumber: Int?
    /// For a conflict's resolution: the number of the conflict version it settled.
    public var mergedFromNumber: Int?
}

extension DriveSession {
    /// The versions of the file at `path`, newest first.
    public func log(_ path: String) throws(DriveError) -> [VersionEntry] {
        let path = try parsePath(path, "log")
        return try drive.read("log", path.description) { db in
            let item = try resolve(db, path, "log")
            guard !item.isFolder else { throw DriveError(.invalidArgument, "log", path.description, "a folder has no versions; name a file") }
            return try versions(db, item)
        }
    }

    func versions(_ db: Database, _ item: Item) throws -> [VersionEntry] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT version.*, user.name AS authorName,
                   (SELECT number FROM version AS base WHERE base.id = version.baseVersionId) AS baseNumber,
                   (SELECT number FROM version AS other WHERE other.id = version.mergedFrom) AS mergedNumber
            FROM version JOIN user ON user.id = version.authorId
            WHERE itemId = ? ORDER BY number DESC
            """, arguments: [item.id])
        return try rows.map { row in
            let version = try Version(row: row)
            return VersionEntry(version: version, authorName: row["authorName"], isHead: version.id == item.headVersionId,
                                baseNumber: row["baseNumber"], mergedFromNumber: row["mergedNumber"])
        }
    }

    /// Makes a new head version of the file at `path` with the content of version `number` (a
    /// link's target, when it was a link). Versions are immutable (invariant 2): the old one
    /// stays as it was.
    @discardableResult
    public func restore(_ path: String, version number: Int) throws(DriveError) -> Version {
        let path = try parsePath(path, "restore")
        return try drive.lock.shared { () throws(DriveError) -> Version in
            try drive.write("restore", path.description) { db in
                let item = try resolve(db, path, "restore")
                guard !item.isFolder else { throw DriveError(.invalidArgument, "restore", path.description, "a folder has no versions; name a file") }
                try require(.editor, db, item, path, "restore")
                let old = try version(db, item, number: number, path, "restore")
                guard old.id != item.headVersionId else {
                    throw DriveError(.invalidArgument, "restore", path.description, "version \(number) is already the head of \(path)",
                                     hint: "restore an older version; see 'cairn log \(path)'")
                }
                try Drive.checkQuota(db, owner: item.ownerId, adding: old.size, "restore", path.description)
                let blocks = try blockList(db, old.id!)
                var folders = KnownFolders()
                let commit = FileCommit(dest: path, blocks: blocks, size: old.size, base: item.headVersionId, restoredFrom: number,
                                        linkTarget: old.linkTarget)
                return try self.commit(db, commit, folders: &folders).version
            }
        }
    }

    /// Pins (keeps forever) or unpins version `number` of the file at `path`.
    public func pin(_ path: String, version number: Int, pinned: Bool = true) throws(DriveError) {
        let operation = pinned ? "pin" : "unpin"
        let path = try parsePath(path, operation)
        try drive.write(operation, path.description) { db in
            let item = try resolve(db, path, operation)
            guard !item.isFolder else { throw DriveError(.invalidArgument, operation, path.description, "a folder has no versions; name a file") }
            try require(.editor, db, item, path, operation)
            var chosen = try version(db, item, number: number, path, operation)
            chosen.pinned = pinned
            try chosen.update(db)
            if !pinned { try applyVersionCap(db, item: item.id!) }
            try journal(db, pinned ? .pinned : .unpinned, path, item: item.id, version: chosen.id, detail: "version \(number)")
        }
    }
}
