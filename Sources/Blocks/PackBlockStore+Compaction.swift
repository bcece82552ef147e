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
    /// Deletes packs with no live block, rewrites packs whose garbage is at least
    /// `minGarbageRatio` of their size, and merges small packs (under a quarter of
    /// `targetPackSize`; every writing command seals its pack, so a script that puts one file at
    /// a time leaves one small pack each) into packs of up to `targetPackSize`. Callers make sure
    /// no other writer is running (the engine's store lock): live records are copied into a new
    /// file, fsynced, the index is moved over in one transaction, and only then are the old files
    /// removed.
    public func compact(minGarbageRatio: Double = 0.5) throws(BlockError) -> CompactionReport {
        try seal()
        var report = CompactionReport()
        let packs = try dbRead { db in
            try Row.fetchAll(db, sql: """
                SELECT pack.id, pack.name, pack.size,
                       (SELECT COALESCE(SUM(length + \(Self.recordHeaderSize)), 0) FROM blockIndex WHERE packId = pack.id) AS live
                FROM pack ORDER BY pack.id
                """).map { SourcePack(id: $0["id"], name: $0["name"], size: $0["size"], live: $0["live"]) }
        }
        // Groups of packs to copy into one new pack each: a group holds a pack worth rewriting
        // for its garbage, or at least two small ones.
        var groups: [[SourcePack]] = []
        var group: [SourcePack] = []
        var groupBytes: Int64 = 0
        func close() {
            if group.count >= 2 || group.contains(where: { $0.garbage >= Int64(minGarbageRatio * Double($0.size)) }) {
                groups.append(group)
            }
            group = []
            groupBytes = 0
        }
        for pack in packs {
            if pack.live == 0 {
                try dbWrite { db in try db.execute(sql: "DELETE FROM pack WHERE id = ?", arguments: [pack.id]) }
                unlink(packPath(pack.name))
                report.deleted += 1
                report.bytesFreed += pack.size
                continue
            }
            let worthRewriting = pack.garbage >= Int64(minGarbageRatio * Double(pack.size))
            let small = pack.size < Int64(targetPackSize / 4)
            guard worthRewriting || small else { continue }
            if groupBytes + pack.live > Int64(targetPackSize) { close() }
            group.append(pack)
            groupBytes += pack.live
        }
        close()
        for sources in groups {
            try rewrite(sources)
            report.rewritten += sources.count
            report.bytesFreed += sources.reduce(0) { $0 + $1.garbage }
        }
        lock.withLock { readers.removeAll() }
        try removeOrphanFiles()
        return report
    }

    /// A pack as compaction sees it: its size and the bytes of its live records.
    private struct SourcePack {
        var id: Int64
        var name: String
        var size: Int64
        var live: Int64
        var garbage: Int64 { size - Int64(PackBlockStore.packMagic.count) - live }
    }

    /// Copies the live records of `sources` into one new pack and moves the index over.
    private func rewrite(_ sources: [SourcePack]) throws(BlockError) {
        var random = SystemRandomNumberGenerator()
        let newName = String(format: "%016llx", random.next() as UInt64)
        let path = packPath(newName)
        let directory = (path as NSString).deletingLastPathComponent
        try Self.makePackDirectory(directory)
        let target = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL)
        var written = Self.packMagic.count
        var buffer = Self.packMagic
        var moves: [(Data, Int)] = []
        for pack in sources {
            let rows = try dbRead { db in
                try Row.fetchAll(db, sql: "SELECT id, offset, length FROM blockIndex WHERE packId = ? ORDER BY offset", arguments: [pack.id])
            }
            let source = try PosixFile(path: packPath(pack.name), flags: O_RDONLY)
            for row in rows {
                let length: Int = row["length"]
                let offset: Int = row["offset"]
                let record = try source.pread(count: length + Self.recordHeaderSize, at: offset - Self.recordHeaderSize)
                // Copy only what the index says is there: a record naming another block or length
                // means the index or the pack is damaged, and copying it would carry that along.
                guard let header = try? PackRecordReader.header(record), header.id.bytes == row["id"] as Data,
                      header.length == length else {
                    unlink(path)
                    throw .corrupted("pack \(pack.name): the record at offset \(offset - Self.recordHeaderSize) is not the block the index names there; nothing was compacted")
                }
                moves.append((row["id"], written + Self.recordHeaderSize))
                buffer.append(record)
                written += record.count
                if buffer.count >= 4 << 20 {
                    try target.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        try target.write(buffer)
        try target.sync()
        try PosixFile.syncDirectory(directory)
        // The index moves over in short transactions (other processes wait for each, not for the
        // whole rewrite). Until the last one, every record is readable in its old pack or its new
        // one, and the old packs stay until every row has left them, so a crash anywhere leaves a
        // consistent index; `liveBytes` moves with the rows.
        let newID = try dbWrite { db in
            try db.execute(sql: "INSERT INTO pack (name, size, liveBytes) VALUES (?, ?, 0)", arguments: [newName, written])
            return db.lastInsertedRowID
        }
        for start in stride(from: 0, to: moves.count, by: Self.deleteBatch) {
            let batch = moves[start..<min(start + Self.deleteBatch, moves.count)]
            try dbWrite { db in
                let find = try db.cachedStatement(sql: "SELECT packId, length FROM blockIndex WHERE id = ?")
                let update = try db.cachedStatement(sql: "UPDATE blockIndex SET packId = ?, offset = ? WHERE id = ?")
                var moved: [Int64: Int] = [:]
                for (blockID, offset) in batch {
                    guard let row = try Row.fetchOne(find, arguments: [blockID]), row["packId"] as Int64 != newID else { continue }
                    let bytes = (row["length"] as Int) + Self.recordHeaderSize
                    try update.execute(arguments: [newID, offset, blockID])
                    moved[row["packId"], default: 0] += bytes
                    moved[newID, default: 0] -= bytes
                }
                for (pack, bytes) in moved {
                    try db.execute(sql: "UPDATE pack SET liveBytes = liveBytes - ? WHERE id = ?", arguments: [bytes, pack])
                }
            }
        }
        try dbWrite { db in
            for pack in sources { try db.execute(sql: "DELETE FROM pack WHERE id = ?", arguments: [pack.id]) }
        }
        for pack in sources { unlink(packPath(pack.name)) }
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
