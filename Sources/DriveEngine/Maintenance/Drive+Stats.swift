import Blocks
import Foundation
import GRDB

/// Space used by a store: logical bytes, what dedup and compression made of them.
public struct StoreStats: Sendable, Equatable {
    /// Sum of the sizes of every version of every file.
    public var logicalBytes: Int64 = 0
    /// Raw bytes of the distinct blocks (after dedup, before compression).
    public var uniqueBytes: Int64 = 0
    /// Bytes of the distinct blocks as stored (after compression, with block headers).
    public var storedBytes: Int64 = 0
    /// Bytes of the pack files on disk, garbage included.
    public var packBytes: Int64 = 0
    public var blocks = 0
    public var files = 0
    public var folders = 0
    public var versions = 0
    /// The largest files, biggest first: (path, size).
    public var biggest: [(path: String, size: Int64)] = []

    /// logical ÷ unique: how many times each stored byte is used.
    public var dedupRatio: Double { uniqueBytes == 0 ? 1 : Double(logicalBytes) / Double(uniqueBytes) }
    /// unique ÷ stored: what compression saved.
    public var compressionRatio: Double { storedBytes == 0 ? 1 : Double(uniqueBytes) / Double(storedBytes) }

    public static func == (a: StoreStats, b: StoreStats) -> Bool {
        (a.logicalBytes, a.uniqueBytes, a.storedBytes, a.blocks, a.files, a.versions) ==
            (b.logicalBytes, b.uniqueBytes, b.storedBytes, b.blocks, b.files, b.versions)
    }
}

extension DriveSession {
    /// Space used by this store (blocks are shared across users, so block figures are store-wide);
    /// `biggest` lists this user's largest files.
    public func stats(biggest count: Int = 10) throws(DriveError) -> StoreStats {
        try drive.read("stats", drive.location.path) { db in
            var stats = StoreStats()
            stats.logicalBytes = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM version") ?? 0
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(rawSize), 0) AS raw, COALESCE(SUM(length), 0) AS stored FROM blockIndex")
            stats.blocks = row?["n"] ?? 0
            stats.uniqueBytes = row?["raw"] ?? 0
            stats.storedBytes = row?["stored"] ?? 0
            stats.packBytes = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM pack") ?? 0
            stats.files = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE kind = 'file'") ?? 0
            stats.folders = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE kind = 'folder' AND parentId IS NOT NULL") ?? 0
            stats.versions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM version") ?? 0
            let top = try Row.fetchAll(db, sql: """
                SELECT id, size FROM item WHERE kind = 'file' AND ownerId = ? AND trashedAt IS NULL ORDER BY size DESC LIMIT ?
                """, arguments: [userID, count])
            stats.biggest = try top.map { (try path(of: $0["id"], db).description, $0["size"]) }
            return stats
        }
    }
}
