import Blocks
import Foundation
import GRDB

/// What a garbage collection removed.
public struct GarbageReport: Sendable, Equatable {
    public var blocksRemoved = 0
    public var bytesFreed: Int64 = 0
    public var packsRewritten = 0
    public var packsDeleted = 0
}

extension Drive {
    /// Removes blocks that no version (live, in the trash, or any older one) and no unfinished
    /// upload refers to, then compacts pack files that are mostly garbage (invariant 4). The bytes
    /// of quarantined blocks are garbage too; their quarantine records go once nothing uses them.
    /// A block stored again after quarantine is an ordinary indexed block, referenced, so kept.
    ///
    /// Holds the store lock exclusively, so no other process is between storing blocks and
    /// committing the version that names them.
    @discardableResult
    public func collectGarbage() throws(DriveError) -> GarbageReport {
        do {
            return try lock.exclusive {
                try blocks.sync()
                let doomed = try database.read { db -> [(BlockID, Int64)] in
                    try Row.fetchAll(db, sql: """
                        SELECT id, length FROM blockIndex
                        WHERE id NOT IN (SELECT blockId FROM versionBlock)
                          AND id NOT IN (SELECT blockId FROM uploadBlock)
                        """).compactMap { row in BlockID(bytes: row["id"]).map { ($0, row["length"]) } }
                }
                // Quarantined blocks that nothing uses any more need no repair: forget them.
                let forgotten = try database.read { db in
                    try Data.fetchAll(db, sql: """
                        SELECT id FROM quarantinedBlock
                        WHERE id NOT IN (SELECT blockId FROM versionBlock)
                          AND id NOT IN (SELECT blockId FROM uploadBlock)
                        """).compactMap(BlockID.init(bytes:))
                }
                var report = GarbageReport()
                try blocks.delete(doomed.map(\.0) + forgotten)
                report.blocksRemoved = doomed.count
                let compaction = try blocks.compact()
                report.packsRewritten = compaction.rewritten
                report.packsDeleted = compaction.deleted
                report.bytesFreed = compaction.bytesFreed
                return report
            }
        } catch {
            throw DriveError.wrap(error, "gc", location.path)
        }
    }
}
