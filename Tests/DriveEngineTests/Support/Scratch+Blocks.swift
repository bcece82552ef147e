import DriveEngine
import Foundation
import GRDB
import Testing

/// A stored block and where its bytes are in its pack file.
struct StoredBlock {
    /// The block id, 64 lowercase hex digits.
    var hex: String
    /// The pack file's absolute path.
    var pack: String
    /// Where the stored block (header + payload) starts in the pack.
    var offset: Int
    var length: Int
}

extension Scratch {
    /// Block number `seq` (from 0) of the head version of the file at `path`, found through
    /// the `blockIndex` and `pack` tables: packs live at `blocks/packs/<2 chars>/<name>.pack`.
    func storedBlock(_ seq: Int, of path: String, session: DriveSession? = nil) throws -> StoredBlock {
        let head = try #require(try (session ?? self.session).item(at: path).headVersionId)
        let row = try #require(try query { db in
            try Row.fetchOne(db, sql: """
                SELECT hex(blockIndex.id) AS hex, pack.name, blockIndex.offset, blockIndex.length
                FROM versionBlock JOIN blockIndex ON blockIndex.id = versionBlock.blockId
                JOIN pack ON pack.id = blockIndex.packId
                WHERE versionBlock.versionId = ? AND versionBlock.seq = ?
                """, arguments: [head, seq])
        })
        let name: String = row["name"]
        let pack = store.appendingPathComponent("blocks/packs/\(name.prefix(2))/\(name).pack").path
        return StoredBlock(hex: (row["hex"] as String).lowercased(), pack: pack, offset: row["offset"], length: row["length"])
    }

    /// Flips every bit of the byte at `offset` of the file at `path`.
    func flipByte(at offset: Int, in path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([~byte]))
    }
}
