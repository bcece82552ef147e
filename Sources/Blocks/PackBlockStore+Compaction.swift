#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// What a compaction did.
public struct CompactionReport: Sendable, Equatable {
    public var rewritten = 0
    public var deleted = 0
    public var bytesFreed: Int64 = 0
}

extension PackBlockStore {
    /// Deletes packs with no live block and rewrites packs whose garbage is at least
    /// `minGarbageRatio` of their size. Callers make sure no other writer is running (the
    /// engine's store lock): a pack is rewritten into a new file, fsynced, the index is moved
    /// over in one transaction, and only then is the old file removed.
    public func compact(minGarbageRatio: Double = 0.5) throws(BlockError) -> CompactionReport {
        try seal()
        var report = CompactionReport()
        let packs = try dbRead { db in
            try Row.fetchAll(db, sql: """
                SELECT pack.id, pack.name, pack.size,
                       (SELECT COALESCE(SUM(length + \(Self.recordHeaderSize)), 0) FROM blockIndex WHERE packId = pack.id) AS live
                FROM pack
                """).map { (id: $0["id"] as Int64, name: $0["name"] as String, size: $0["size"] as Int64, live: $0["live"] as Int64) }
        }
        for pack in packs {
            let garbage = pack.size - Int64(Self.packMagic.count) - pack.live
            if pack.live == 0 {
                try dbWrite { db in try db.execute(sql: "DELETE FROM pack WHERE id = ?", arguments: [pack.id]) }
                unlink(packPath(pack.name))
                report.deleted += 1
                report.bytesFreed += pack.size
            } else if Double(garbage) >= minGarbageRatio * Double(pack.size) {
                try rewrite(pack.id, name: pack.name)
                report.rewritten += 1
                report.bytesFreed += garbage
            }
        }
        lock.withLock { readers.removeAll() }
        try removeOrphanFiles()
        return report
    }

    /// Copies the live records of pack `id` into a new pack and moves the index over.
    private func rewrite(_ id: Int64, name: String) throws(BlockError) {
        let rows = try dbRead { db in
            try Row.fetchAll(db, sql: "SELECT id, offset, length, rawSize FROM blockIndex WHERE packId = ? ORDER BY offset", arguments: [id])
        }
        let source = try PosixFile(path: packPath(name), flags: O_RDONLY)
        var random = SystemRandomNumberGenerator()
        let newName = String(format: "%016llx", random.next() as UInt64)
        let path = packPath(newName)
        let directory = (path as NSString).deletingLastPathComponent
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw PosixFile.error("cannot create \(directory)") }
        let target = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL)
        var buffer = Self.packMagic
        var moves: [(Data, Int)] = []
        for row in rows {
            let length: Int = row["length"]
            let offset: Int = row["offset"]
            let record = try source.pread(count: length + Self.recordHeaderSize, at: offset - Self.recordHeaderSize)
            moves.append((row["id"], buffer.count + Self.recordHeaderSize))
            buffer.append(record)
        }
        try target.write(buffer)
        try target.sync()
        try PosixFile.syncDirectory(directory)
        try dbWrite { db in
            try db.execute(sql: "INSERT INTO pack (name, size, liveBytes) VALUES (?, ?, ?)", arguments: [newName, buffer.count, buffer.count - Self.packMagic.count])
            let newID = db.lastInsertedRowID
            let update = try db.makeStatement(sql: "UPDATE blockIndex SET packId = ?, offset = ? WHERE id = ?")
            for (blockID, offset) in moves { try update.execute(arguments: [newID, offset, blockID]) }
            try db.execute(sql: "DELETE FROM pack WHERE id = ?", arguments: [id])
        }
        unlink(source.path)
    }

    /// Removes pack files that no pack row names (left by a crash during compaction).
    private func removeOrphanFiles() throws(BlockError) {
        let root = folder.appendingPathComponent("packs").path
        let live = try dbRead { db in Set(try String.fetchAll(db, sql: "SELECT name FROM pack")) }
        guard let subdirs = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for subdir in subdirs {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: root + "/" + subdir) else { continue }
            for file in files where file.hasSuffix(".pack") {
                let name = String(file.dropLast(5))
                if !live.contains(name) {
                    unlink(root + "/" + subdir + "/" + file)
                }
            }
        }
    }
}
