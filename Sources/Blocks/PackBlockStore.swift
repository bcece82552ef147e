#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// A block store in a local folder that packs blocks into append-only pack files.
///
/// Creating a file costs the kernel 70–200 µs, so one file per block would make a tree of small
/// files pay seconds in the kernel: blocks are appended to pack files of about `targetPackSize`
/// instead (as restic and borg do), and located through the `blockIndex` table of the given
/// SQLite database. A pack file is `CAIRNPK1` followed by records `[id 32][length u32 LE][stored]`,
/// so packs are self-describing and the index can be rebuilt from them.
///
/// Each writer appends to a pack of its own; index rows are committed only after the pack is
/// fsynced (`sync()`), so the index never names bytes that are not durable. `delete` drops index
/// rows; `compact` rewrites packs that are mostly garbage. A block found damaged is quarantined:
/// its index row moves to `quarantinedBlock` (its bytes become garbage the next compaction drops),
/// so the block counts as absent and the next put of its content stores a good copy.
/// Thread-safe: `lock` guards the writer.
public final class PackBlockStore: BlockStore, @unchecked Sendable {
    public static let packMagic = Data("CAIRNPK1".utf8)
    static let recordHeaderSize = 36

    public let folder: URL
    public let targetPackSize: Int
    let database: any DatabaseWriter

    // Guarded by `lock`: the open pack, its write buffer and the records not yet in the index.
    let lock = NSLock()
    var current: OpenPack?
    /// Full packs rotated out by `put` whose records are not yet synced and indexed.
    var filled: [OpenPack] = []
    var pending: [BlockID: Location] = [:]
    /// A pack made ahead by `put` outside the lock, to become `current` when one is needed.
    var spare: OpenPack?
    var readers: [Int64: PosixFile] = [:]
    /// Ids that `missing` just found absent from the index: `put` need not look them up again.
    var knownAbsent: Set<BlockID> = []

    struct Location: Sendable {
        var pack: Int64
        var offset: Int
        var length: Int
        var rawSize: Int
    }

    /// A pack being appended to. Its bytes are gathered and written past the page cache
    /// (``DirectFileWriter``): the disk reads them from our buffer while the CPU hashes and
    /// compresses, instead of the kernel copying each into a fresh page-cache page (on this kind
    /// of machine most of an incompressible put's system time) and writing it back at the fsync.
    final class OpenPack {
        let id: Int64
        let writer: DirectFileWriter
        var file: PosixFile { writer.file }
        var size: Int
        var synced = false
        /// Bytes before this offset were handed to the kernel's writeback already (only where
        /// the file system refused direct writes).
        var writebackFrom = 0
        init(id: Int64, file: PosixFile, size: Int) { self.id = id; writer = DirectFileWriter(file: file, capacity: 2 << 20); self.size = size }

        /// Where writes go through the page cache: starts writeback of every 8 MiB written so
        /// far, so the disk works meanwhile and the fsync in `sync()` finds little left to do.
        func startWriteback() {
            guard !writer.isDirect, size - writebackFrom >= 8 << 20 else { return }
            file.startWriteback(offset: writebackFrom, count: size - writebackFrom)
            writebackFrom = size
        }
    }

    /// Opens the store in `folder` (created if absent) over a database whose schema includes
    /// `PackBlockStore.migrations`.
    public init(folder: URL, database: any DatabaseWriter, targetPackSize: Int = 64 << 20) throws(BlockError) {
        self.folder = folder
        self.database = database
        self.targetPackSize = targetPackSize
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("packs"), withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Registers the block index tables; the owner of the database runs them in its migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("blocks-1-packs") { db in
            try db.execute(sql: """
                CREATE TABLE pack (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL DEFAULT 0,
                    liveBytes INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE blockIndex (
                    id BLOB PRIMARY KEY,
                    packId INTEGER NOT NULL REFERENCES pack(id),
                    offset INTEGER NOT NULL,
                    length INTEGER NOT NULL,
                    rawSize INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX blockIndexByPack ON blockIndex(packId);
                """)
        }
        // Blocks set aside as damaged: absent for dedup, reported as corrupted until stored again.
        migrator.registerMigration("blocks-2-quarantine") { db in
            try db.execute(sql: """
                CREATE TABLE quarantinedBlock (
                    id BLOB PRIMARY KEY,
                    reason TEXT NOT NULL,
                    quarantinedAt DOUBLE NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }

    func packPath(_ name: String) -> String {
        folder.appendingPathComponent("packs").appendingPathComponent(String(name.prefix(2)))
            .appendingPathComponent(name + ".pack").path
    }

    // MARK: BlockStore

    public func put(_ id: BlockID, stored: Data) throws(BlockError) {
        // A block already present costs no pack. One that needs a new pack gets it made without
        // the lock (its index row may wait for the database), then put looks again.
        while try lock.locked({ () throws(BlockError) -> Bool in
            if pending[id] != nil { return false }
            if knownAbsent.contains(id) == false, try locate(id) != nil { return false }
            return current == nil && spare == nil
        }) {
            let pack = try makePack()
            // Another thread may have made one meanwhile: this one then stays unused, an empty
            // pack with no live block, which compaction deletes.
            lock.withLock { if spare == nil { spare = pack } }
        }
        lock.lock()
        defer { lock.unlock() }
        if pending[id] != nil { return }
        if knownAbsent.remove(id) == nil, try locate(id) != nil { return }
        let pack = try openPackIfNeeded()
        var header = id.bytes
        withUnsafeBytes(of: UInt32(stored.count).littleEndian) { header.append(contentsOf: $0) }
        do {
            try pack.writer.append(header)
            try pack.writer.append(stored)
        } catch {
            // Part of the record may be in the file now, past `pack.size`: no later record may go
            // into this pack (its offset would be wrong). Its earlier blocks still get synced.
            filled.append(pack)
            current = nil
            throw error
        }
        let offset = pack.size + Self.recordHeaderSize
        pack.size += Self.recordHeaderSize + stored.count
        pending[id] = Location(pack: pack.id, offset: offset, length: stored.count,
                               rawSize: BlockCodec.rawLength(ofStored: stored) ?? 0)
        pack.startWriteback()
        if pack.size >= targetPackSize {
            // Full: written out and its buffer freed; only its sync is left.
            try pack.writer.finish()
            filled.append(pack)
            current = nil
        }
    }

    public func get(_ id: BlockID) throws(BlockError) -> Data {
        let (location, reader) = try lock.locked { () throws(BlockError) -> (Location, PosixFile) in
            var found = try pendingLocation(id)
            if found == nil { found = try locate(id) }
            return try readable(id, found)
        }
        return try reader.pread(count: location.length, at: location.offset)
    }

    /// One index read for the whole batch (pending blocks aside), then the blocks read on every core.
    public func getMany(_ ids: [BlockID]) throws(BlockError) -> [Data] {
        let plan = try lock.locked { () throws(BlockError) -> [(Location, PosixFile)] in
            var found: [BlockID: Location] = [:]
            for id in ids { if let location = try pendingLocation(id) { found[id] = location } }
            found.merge(try locate(Array(Set(ids).subtracting(found.keys)))) { pending, _ in pending }
            return try ids.map { id throws(BlockError) in try readable(id, found[id]) }
        }
        return try concurrentMap(ids.count) { i throws(BlockError) in
            try plan[i].1.pread(count: plan[i].0.length, at: plan[i].0.offset)
        }
    }

    /// Where pending block `id` is, its pack's write buffer written out first (the current pack
    /// or one rotated out by `put` or `seal` and not synced yet), so a read finds its bytes.
    /// Caller holds `lock`.
    private func pendingLocation(_ id: BlockID) throws(BlockError) -> Location? {
        guard let location = pending[id] else { return nil }
        if let pack = (current.map { [$0] } ?? []).first(where: { $0.id == location.pack }) ?? filled.first(where: { $0.id == location.pack }) {
            try pack.writer.writeOut()
        }
        return location
    }

    /// `location` of block `id` with a reader of its pack, or why it cannot be read. Caller holds `lock`.
    private func readable(_ id: BlockID, _ location: Location?) throws(BlockError) -> (Location, PosixFile) {
        guard let location else {
            if let reason = try quarantineReason(id) { throw .corrupted(reason) }
            throw .missing(id)
        }
        return (location, try packReader(location.pack))
    }

    public func has(_ id: BlockID) throws(BlockError) -> Bool {
        try lock.locked { () throws(BlockError) -> Bool in
            if pending[id] != nil { return true }
            return try locate(id) != nil
        }
    }

    public func missing(_ ids: [BlockID]) throws(BlockError) -> Set<BlockID> {
        var result = Set(ids)
        lock.withLock { for id in ids where pending[id] != nil { result.remove(id) } }
        guard !result.isEmpty else { return result }
        result.subtract(try locate(Array(result)).keys)
        lock.withLock {
            if knownAbsent.count > 100_000 { knownAbsent.removeAll() }
            knownAbsent.formUnion(result)
        }
        return result
    }

    /// Drops the index rows of `ids`, in transactions of at most `deleteBatch` ids so that no
    /// other process waits long for the database.
    public func delete(_ ids: [BlockID]) throws(BlockError) {
        try sync()
        for start in stride(from: 0, to: ids.count, by: Self.deleteBatch) {
            let batch = ids[start..<min(start + Self.deleteBatch, ids.count)]
            try dbWrite { db in
                let unquarantine = try db.cachedStatement(sql: "DELETE FROM quarantinedBlock WHERE id = ?")
                let find = try db.cachedStatement(sql: "SELECT packId, length FROM blockIndex WHERE id = ?")
                let drop = try db.cachedStatement(sql: "DELETE FROM blockIndex WHERE id = ?")
                var freed: [Int64: Int] = [:]
                for id in batch {
                    try unquarantine.execute(arguments: [id.bytes])
                    guard let row = try Row.fetchOne(find, arguments: [id.bytes]) else { continue }
                    try drop.execute(arguments: [id.bytes])
                    freed[row["packId"], default: 0] += (row["length"] as Int) + Self.recordHeaderSize
                }
                for (pack, bytes) in freed {
                    try db.execute(sql: "UPDATE pack SET liveBytes = liveBytes - ? WHERE id = ?", arguments: [bytes, pack])
                }
            }
        }
    }

    /// Index rows changed per transaction by `delete` and compaction.
    static let deleteBatch = 2000

    public func enumerate() throws(BlockError) -> [BlockID] {
        let durable = try dbRead { db in try Data.fetchAll(db, sql: "SELECT id FROM blockIndex") }
        var ids = Set(durable.compactMap(BlockID.init(bytes:)))
        lock.withLock { ids.formUnion(pending.keys) }
        return Array(ids)
    }

    public func size(_ id: BlockID) throws(BlockError) -> Int? {
        try lock.locked { () throws(BlockError) -> Int? in
            if let location = pending[id] { return location.length }
            return try locate(id)?.length
        }
    }

    /// Makes every block put so far durable, then indexes it (`makeDurable`, then `index` in a
    /// transaction of its own, then `indexed`).
    public func sync() throws(BlockError) {
        let durable = try makeDurable()
        if !durable.isEmpty { try dbWrite { db in try index(durable, db) } }
        indexed(durable)
    }

    /// Blocks made durable by `makeDurable` and not yet indexed: a snapshot of the pending ones.
    /// Not Sendable: it names open packs; the thread that made it indexes it.
    public struct DurableBlocks {
        fileprivate let entries: [BlockID: Location]
        fileprivate let sizes: [(Int64, Int)]
        /// The full packs of the snapshot, held (not only named): a pack freed meanwhile by
        /// another thread's sync could have its address reused by a new pack.
        fileprivate let rotated: [OpenPack]
        public var isEmpty: Bool { entries.isEmpty }
    }

    /// Makes every block put so far durable (its pack's bytes and the pack file's name) and
    /// returns them for `index`. The lock is held only to hand buffered bytes to the kernel and to
    /// take a snapshot: the fsyncs run without it, so reads and puts of other threads go on
    /// meanwhile. Entries put after the snapshot stay pending for the next sync.
    public func makeDurable() throws(BlockError) -> DurableBlocks {
        let (packs, sizes, entries, rotated, unsynced) = try lock.locked {
            () throws(BlockError) -> ([OpenPack], [(Int64, Int)], [BlockID: Location], [OpenPack], [OpenPack]) in
            let packs = filled + (current.map { [$0] } ?? [])
            for pack in packs { try pack.writer.writeOut() }
            return (packs, packs.map { ($0.id, $0.size) }, pending, filled, packs.filter { !$0.synced })
        }
        // Every byte of the snapshot was written to its pack before these fsyncs start.
        for pack in packs where !entries.isEmpty || unsynced.contains(where: { $0 === pack }) {
            try pack.file.sync()
        }
        for pack in unsynced {
            // The pack file's name must be durable before the index names it, and so must its
            // packs/XX folder (another thread or process may have made it and not synced it yet).
            let folder = (pack.file.path as NSString).deletingLastPathComponent
            try PosixFile.syncDirectory(folder)
            try PosixFile.syncDirectory((folder as NSString).deletingLastPathComponent)
        }
        lock.withLock { for pack in unsynced { pack.synced = true } }
        return DurableBlocks(entries: entries, sizes: sizes, rotated: rotated)
    }

    /// Writes the index rows of `durable` in the caller's write transaction `db`: a caller that
    /// commits metadata naming these blocks may commit both at once (one WAL commit, and the
    /// index and the metadata never disagree). Call `indexed` once that transaction committed;
    /// if it rolled back, the blocks stay pending and the next sync indexes them.
    public func index(_ durable: DurableBlocks, _ db: Database) throws {
        var added = [Int64: Int]()
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO blockIndex (id, packId, offset, length, rawSize) VALUES (?, ?, ?, ?, ?)")
        let heal = try db.cachedStatement(sql: "DELETE FROM quarantinedBlock WHERE id = ?")
        for (id, location) in durable.entries {
            let bytes = id.bytes
            try insert.run {
                $0.add(bytes); $0.add(location.pack); $0.add(location.offset); $0.add(location.length); $0.add(location.rawSize)
            }
            if db.changesCount > 0 {
                added[location.pack, default: 0] += location.length + Self.recordHeaderSize
                // A good copy replaces one set aside as damaged.
                try heal.run { $0.add(bytes) }
            }
        }
        // MAX: a concurrent sync with an older snapshot may commit after this one.
        for (pack, size) in durable.sizes {
            try db.execute(sql: "UPDATE pack SET size = MAX(size, ?) WHERE id = ?", arguments: [size, pack])
        }
        for (packID, bytes) in added {
            try db.execute(sql: "UPDATE pack SET liveBytes = liveBytes + ? WHERE id = ?", arguments: [bytes, packID])
        }
    }

    /// Forgets the snapshot `durable` as pending once its index rows are committed.
    public func indexed(_ durable: DurableBlocks) {
        lock.withLock {
            for (id, location) in durable.entries where pending[id].map({ $0.pack == location.pack && $0.offset == location.offset }) == true {
                pending[id] = nil
            }
            filled.removeAll { pack in durable.rotated.contains { $0 === pack } }
        }
    }

    /// Sets block `id` aside if its indexed copy is still damaged: one transaction moves its index
    /// row to `quarantinedBlock` and takes its bytes off the pack's `liveBytes`, like `delete`
    /// (compaction drops them). The row is moved only if it still names the copy found damaged,
    /// so a good copy stored or moved meanwhile (another process, a compaction) is never dropped.
    public func quarantine(_ id: BlockID, reason: String) throws(BlockError) {
        try lock.locked { () throws(BlockError) in
            if pending[id] != nil { return } // a fresh copy is on its way
            guard let location = try locate(id) else { return }
            switch Result(catching: { () throws(BlockError) -> Data in
                try packReader(location.pack).pread(count: location.length, at: location.offset)
            }) {
            case .success(let stored): if BlockCodec.isIntact(stored, as: id) { return }
            case .failure(.corrupted): break
            case .failure(let error): throw error // cannot tell whether it is damaged: leave it
            }
            knownAbsent.remove(id)
            try dbWrite { db in
                try db.execute(sql: "DELETE FROM blockIndex WHERE id = ? AND packId = ? AND offset = ?",
                               arguments: [id.bytes, location.pack, location.offset])
                guard db.changesCount > 0 else { return }
                try db.execute(sql: "UPDATE pack SET liveBytes = liveBytes - ? WHERE id = ?",
                               arguments: [location.length + Self.recordHeaderSize, location.pack])
                try db.execute(sql: """
                    INSERT INTO quarantinedBlock (id, reason, quarantinedAt) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET reason = excluded.reason, quarantinedAt = excluded.quarantinedAt
                    """, arguments: [id.bytes, reason, Date().timeIntervalSince1970])
            }
        }
    }

    /// The ids of every quarantined block.
    public func quarantined() throws(BlockError) -> [BlockID] {
        try dbRead { db in try Data.fetchAll(db, sql: "SELECT id FROM quarantinedBlock") }.compactMap(BlockID.init(bytes:))
    }

    /// Syncs, then closes the open pack: later blocks go to a new one. Writers seal at the end of
    /// each operation, so no pack outlives the store lock that garbage collection waits for.
    public func seal() throws(BlockError) {
        // Rotate first: a block another thread puts after this goes to a new pack, and every
        // block of the sealed one is synced below.
        try lock.locked { () throws(BlockError) in
            // An unused spare must not outlive the operation either: once the store lock is
            // released, compaction deletes packs with no live block.
            spare = nil
            guard let pack = current else { return }
            filled.append(pack)
            current = nil
            try pack.writer.finish() // frees its buffer
        }
        try sync()
    }

    /// Forgets blocks put but never indexed, and the packs they were in: called when no
    /// operation of this process is between storing blocks and committing them (the store lock
    /// has no holder), so what is left is from an operation whose final sync failed. Nothing
    /// committed names those blocks (a commit follows a successful sync); their bytes are garbage
    /// that compaction removes. Keeping them would make every later sync of this process fail
    /// once another process's compaction deleted those packs.
    public func dropUncommitted() {
        lock.withLock {
            pending.removeAll()
            filled.removeAll()
            current = nil
            spare = nil
            knownAbsent.removeAll()
        }
    }

    // MARK: Internals (callers hold `lock` unless noted)

    /// The indexed locations of `ids` (absent ones left out): one read, `IN` lists of 500.
    /// Needs no `lock`.
    private func locate(_ ids: [BlockID]) throws(BlockError) -> [BlockID: Location] {
        guard !ids.isEmpty else { return [:] }
        return try dbRead { db in
            var found: [BlockID: Location] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = ids[start..<min(start + 500, ids.count)].map(\.bytes)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, packId, offset, length, rawSize FROM blockIndex WHERE id IN (\(databaseQuestionMarks(count: slice.count)))
                    """, arguments: StatementArguments(slice))
                while let row = try rows.next() {
                    guard let id = BlockID(bytes: row["id"]) else { continue }
                    found[id] = Location(pack: row["packId"], offset: row["offset"], length: row["length"], rawSize: row["rawSize"])
                }
            }
            return found
        }
    }

    private func locate(_ id: BlockID) throws(BlockError) -> Location? {
        try dbRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT packId, offset, length, rawSize FROM blockIndex WHERE id = ?"), arguments: [id.bytes])
                .map { Location(pack: $0["packId"], offset: $0["offset"], length: $0["length"], rawSize: $0["rawSize"]) }
        }
    }

    /// Why block `id` was quarantined, if it was.
    private func quarantineReason(_ id: BlockID) throws(BlockError) -> String? {
        try dbRead { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT reason FROM quarantinedBlock WHERE id = ?"), arguments: [id.bytes])
        }
    }

    /// The pack to append to: the current one, else the spare `put` made before taking the
    /// lock, else (rarely: another thread took the spare) a new one made here. Caller holds `lock`.
    private func openPackIfNeeded() throws(BlockError) -> OpenPack {
        if let current { return current }
        let pack: OpenPack
        if let spare { pack = spare } else { pack = try makePack() }
        spare = nil
        current = pack
        return pack
    }

    /// Registers a new pack in the index and creates its file. Needs no `lock`: the index write
    /// may wait for another process's transaction, and nothing else in this store waits for it.
    func makePack() throws(BlockError) -> OpenPack {
        var random = SystemRandomNumberGenerator()
        let name = String(format: "%016llx", random.next() as UInt64)
        let path = packPath(name)
        let directory = (path as NSString).deletingLastPathComponent
        try Self.makePackDirectory(directory)
        let id = try dbWrite { db in
            try db.execute(sql: "INSERT INTO pack (name, size) VALUES (?, ?)", arguments: [name, Self.packMagic.count])
            return db.lastInsertedRowID
        }
        let file = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL)
        let pack = OpenPack(id: id, file: file, size: Self.packMagic.count)
        try pack.writer.append(Self.packMagic)
        return pack
    }

    func packReader(_ pack: Int64) throws(BlockError) -> PosixFile {
        if let reader = readers[pack] { return reader }
        guard let name = try dbRead({ db in try String.fetchOne(db, sql: "SELECT name FROM pack WHERE id = ?", arguments: [pack]) }) else {
            throw .corrupted("pack \(pack) is not in the index")
        }
        let path = packPath(name)
        // The index names blocks in this pack: a pack file that is gone is damage, not an I/O hiccup.
        guard FileManager.default.fileExists(atPath: path) else { throw .corrupted("pack file \(path) is missing") }
        let reader = try PosixFile(path: path, flags: O_RDONLY)
        if readers.count > 64 { readers.removeAll() }
        readers[pack] = reader
        return reader
    }

    /// Creates the `packs/XX` folder `directory` if needed; a new one is made durable in its
    /// parent before any pack inside it is named by the index.
    static func makePackDirectory(_ directory: String) throws(BlockError) {
        if mkdir(directory, 0o755) == 0 {
            try PosixFile.syncDirectory((directory as NSString).deletingLastPathComponent)
        } else if errno != EEXIST {
            throw PosixFile.error("cannot create \(directory)")
        }
    }

    func dbRead<T>(_ body: (Database) throws -> T) throws(BlockError) -> T {
        do { return try database.unsafeReentrantRead(body) } catch { throw Self.indexError(error) }
    }

    func dbWrite<T>(_ body: (Database) throws -> T) throws(BlockError) -> T {
        do { return try database.write(body) } catch { throw Self.indexError(error) }
    }

    /// A block-index error as the block layer reports it: busy and a full disk keep their meaning.
    static func indexError(_ error: any Error) -> BlockError {
        if let error = error as? BlockError { return error }
        guard let error = error as? DatabaseError else { return .io("block index: \(error)") }
        switch error.resultCode {
        case .SQLITE_BUSY: return .busy("block index: \(error.message ?? "database is locked")")
        case .SQLITE_FULL: return .storageFull("block index: the disk is full")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupted("block index is damaged: \(error.message ?? "")")
        default: return .io("block index: \(error)")
        }
    }
}

/// Linux `sync_file_range(2)`: starts writeback of a byte range without waiting for it.
/// Not exported by Swift's Glibc module.
@_silgen_name("sync_file_range")
func linuxSyncFileRange(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
