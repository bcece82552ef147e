#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import GRDB

extension DriveSession {
    /// The conflict a put of `files` (each local file with its drive path) would meet at commit:
    /// a local file edited from a version that is no longer the head. Nil when none would.
    ///
    /// Put asks before it reads or stores any block, so that a refused put changes nothing.
    /// A file as large as the head is hashed (nothing is stored): the same bytes as the head
    /// are "unchanged" at commit, not a conflict. The commit checks again, as the head may
    /// move while the blocks are written.
    func staleBaseConflict(_ files: [(entry: LocalEntry, dest: DrivePath)], _ operation: String) throws -> DriveError? {
        try drive.database.read { db -> DriveError? in
            // Files cache records of versions that are no longer their item's head, or of items
            // deleted since: usually none.
            var staleItems: [String: Int64] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT localFile.localPath, version.itemId FROM localFile
                JOIN version ON version.id = localFile.versionId JOIN item ON item.id = version.itemId
                WHERE localFile.userId = ? AND (localFile.versionId != item.headVersionId OR item.trashedAt IS NOT NULL)
                """, arguments: [userID])
            while let row = try rows.next() { staleItems[row[0]] = row[1] }
            guard !staleItems.isEmpty else { return nil }
            for (entry, dest) in files {
                guard let itemID = staleItems[entry.path], let item = try lookup(db, dest), !item.isFolder else { continue }
                if item.id != itemID {
                    if try replacedBase(db, entry, item: item, dest) { return replacedBaseConflict(entry, dest, operation) }
                    continue
                }
                guard let stale = try staleBase(db, entry, item: item) else { continue }
                if entry.size == item.size, try sameContent(entry, asHeadOf: item, db) { continue }
                return try staleBaseConflict(db, entry, editedFrom: stale, item: item, dest, operation)
            }
            return nil
        }
    }

    /// Whether the local file holds the bytes of `item`'s head version: its blocks are hashed
    /// as a put would cut them, and nothing is stored. A link is the same as a link head with
    /// the same target, and never the same as a file (an empty file has a link's digest).
    private func sameContent(_ entry: LocalEntry, asHeadOf item: Item, _ db: Database) throws -> Bool {
        guard let head = try Version.fetchOne(db, sql: "SELECT * FROM version WHERE id = ?", arguments: [item.headVersionId]),
              SymbolicLink.same(head.linkTarget, entry.linkTarget) else {
            return false
        }
        if entry.linkTarget != nil { return true }
        let stream = ChunkStream(file: try PosixFile(path: entry.path, flags: O_RDONLY), chunker: drive.chunker)
        var ids: [BlockID] = []
        try stream.forEachBatch { raw, ranges in
            for range in ranges { ids.append(BlockID(hashing: UnsafeRawBufferPointer(rebasing: raw[range]))) }
        }
        return fileDigest(of: ids).bytes == head.digest
    }
}
