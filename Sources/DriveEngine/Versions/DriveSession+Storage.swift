import Blocks
import Foundation
import GRDB

/// How one version is stored: its blocks, what they take on disk, and how many it shares.
public struct VersionStorage: Sendable, Equatable {
    public var blocks: Int
    /// Raw bytes of its distinct blocks.
    public var uniqueBytes: Int64
    /// Bytes of its distinct blocks as stored (after compression, with block headers).
    public var storedBytes: Int64
    /// Its blocks that other files (any version of them) use too, right now.
    public var sharedWithOtherFiles: Int
}

extension DriveSession {
    /// How version `number` (the head when nil) of the file at `path` is stored.
    public func storage(_ path: String, version number: Int? = nil) throws(DriveError) -> VersionStorage {
        let path = try parsePath(path, "stat")
        return try drive.read("stat", path.description) { db in
            let item = try resolve(db, path, "stat")
            guard !item.isFolder else { throw DriveError(.invalidArgument, "stat", path.description, "a folder has no versions; name a file") }
            let chosen = try version(db, item, number: number, path, "stat")
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS blocks, COALESCE(SUM(b.rawSize), 0) AS raw, COALESCE(SUM(b.length), 0) AS stored,
                       COALESCE(SUM(EXISTS (SELECT 1 FROM versionBlock o JOIN version ov ON ov.id = o.versionId
                                            WHERE o.blockId = d.blockId AND ov.itemId != ?)), 0) AS shared
                FROM (SELECT DISTINCT blockId FROM versionBlock WHERE versionId = ?) AS d
                LEFT JOIN blockIndex AS b ON b.id = d.blockId
                """, arguments: [item.id, chosen.id])
            return VersionStorage(blocks: row?["blocks"] ?? 0, uniqueBytes: row?["raw"] ?? 0,
                                  storedBytes: row?["stored"] ?? 0, sharedWithOtherFiles: row?["shared"] ?? 0)
        }
    }
}
