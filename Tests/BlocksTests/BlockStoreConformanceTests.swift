import Blocks
import Foundation
import GRDB
import Testing

/// A fresh, real backend for each test: both implementations must pass the same suite.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, pack
    var testDescription: String { rawValue }

    /// Makes a store; `reopen` gives a second instance over the same durable state.
    func make() throws -> (store: any BlockStore, reopen: () throws -> any BlockStore, dir: TempDir?) {
        switch self {
        case .memory:
            let store = MemoryBlockStore()
            return (store, { store }, nil)
        case .pack:
            let dir = try TempDir()
            let open = { () throws -> any BlockStore in
                let db = try DatabaseQueue(path: dir.url.appendingPathComponent("meta.sqlite").path)
                var migrator = DatabaseMigrator()
                PackBlockStore.registerMigrations(in: &migrator)
                try migrator.migrate(db)
                return try PackBlockStore(folder: dir.url.appendingPathComponent("blocks"), database: db, targetPackSize: 256 << 10)
            }
            return (try open(), open, dir)
        }
    }
}

final class TempDir: @unchecked Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

func sampleBlock(_ seed: UInt64, size: Int = 5000) -> (BlockID, Data) {
    var generator = SeededGenerator(seed: seed)
    let raw = Data(generator.bytes(size))
    return (BlockID(hashing: raw), BlockCodec().encode(raw))
}

@Suite struct BlockStoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func putGetHasSize(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, stored) = sampleBlock(1)
        #expect(try !store.has(id))
        #expect(try store.size(id) == nil)
        try store.put(id, stored: stored)
        #expect(try store.has(id))
        #expect(try store.get(id) == stored)
        #expect(try store.size(id) == stored.count)
        try store.sync()
        #expect(try store.get(id) == stored)
        #expect(try store.read(id, maxRawLength: 1 << 20).count == 5000)
    }

    @Test(arguments: Backend.allCases)
    func missingBlockIsReported(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, _) = sampleBlock(2)
        #expect(throws: BlockError.missing(id)) { _ = try store.get(id) }
    }

    @Test(arguments: Backend.allCases)
    func putIsIdempotentAndEnumerateListsEachOnce(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<20).map { sampleBlock(UInt64($0)) }
        for (id, stored) in blocks + blocks { try store.put(id, stored: stored) }
        try store.sync()
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        #expect(Set(try store.enumerate()) == Set(blocks.map(\.0)))
        #expect(try store.enumerate().count == 20)
        let absent = sampleBlock(1000).0
        #expect(try store.missing(blocks.map(\.0) + [absent]) == [absent])
    }

    @Test(arguments: Backend.allCases)
    func deleteRemovesOnlyNamedBlocks(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<10).map { sampleBlock(UInt64($0)) }
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        try store.delete(blocks.prefix(4).map(\.0) + [sampleBlock(500).0])
        #expect(Set(try store.enumerate()) == Set(blocks.dropFirst(4).map(\.0)))
        for (id, stored) in blocks.dropFirst(4) { #expect(try store.get(id) == stored) }
        #expect(throws: BlockError.self) { _ = try store.get(blocks[0].0) }
    }

    @Test(arguments: Backend.allCases)
    func syncedBlocksSurviveReopen(_ backend: Backend) throws {
        let (store, reopen, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<200).map { sampleBlock(UInt64($0), size: 3000) }
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        let again = try reopen()
        for (id, stored) in blocks { #expect(try again.get(id) == stored) }
    }

    /// A batch read answers like one `get` or `read` each, in the order asked: blocks synced and
    /// pending (still in a pack's write buffer), an id asked twice; an absent or damaged block
    /// fails the batch as it fails alone.
    @Test(arguments: Backend.allCases)
    func batchReadsAnswerLikeOneReadEach(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let synced = (20..<80).map { sampleBlock($0, size: 1000 + Int($0) * 97) }
        for (id, stored) in synced { try store.put(id, stored: stored) }
        try store.sync()
        let pending = (80..<90).map { sampleBlock($0, size: 300) }
        for (id, stored) in pending { try store.put(id, stored: stored) }
        let asked = (pending + synced).reversed().map(\.0) + [synced[3].0, pending[2].0]
        #expect(try store.getMany(asked) == asked.map { try store.get($0) })
        #expect(try store.readMany(asked, maxRawLength: 1 << 20) == asked.map { try store.read($0, maxRawLength: 1 << 20) })
        #expect(try store.getMany([]).isEmpty)

        let (absent, _) = sampleBlock(90)
        #expect(throws: BlockError.missing(absent)) { _ = try store.getMany(asked + [absent]) }
        let (damaged, _) = sampleBlock(91)
        try store.put(damaged, stored: synced[0].1) // decodes, to bytes of another hash
        try store.sync()
        #expect(throws: BlockError.corrupted("block \(damaged.hex) is corrupted: its content does not match its hash")) {
            _ = try store.readMany([synced[1].0, damaged], maxRawLength: 1 << 20)
        }
        // Set aside by that read: later batches name it as a read alone does.
        #expect(throws: BlockError.corrupted("block \(damaged.hex) is corrupted: its content does not match its hash")) {
            _ = try store.readMany([synced[1].0, damaged], maxRawLength: 1 << 20)
        }
    }

    @Test(arguments: Backend.allCases)
    func readVerifiesTheHash(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, _) = sampleBlock(5)
        let (_, other) = sampleBlock(6)
        // A block whose bytes are intact but belong to another id: decoding works, the hash does not.
        try store.put(id, stored: other)
        try store.sync()
        #expect(throws: BlockError.self) { _ = try store.read(id, maxRawLength: 1 << 20) }
    }

    /// A block longer than the store's maximum block size is damage: `read` refuses it from its
    /// header, so a damaged length field never costs a 4 GiB allocation.
    @Test(arguments: Backend.allCases)
    func readRefusesABlockLongerThanTheStoreMaximum(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, stored) = sampleBlock(12, size: 5000)
        try store.put(id, stored: stored)
        try store.sync()
        let message = "block \(id.hex) is corrupted: stored block claims 5000 bytes, more than the store's maximum block size of 4999"
        #expect(throws: BlockError.corrupted(message)) { _ = try store.read(id, maxRawLength: 4999) }
        #expect(try store.read(id, maxRawLength: 5000).count == 5000)
    }

    /// A block a read finds damaged is set aside: absent for dedup, reported as corrupted (not
    /// missing) by later reads, and stored afresh by the next put of its content.
    @Test(arguments: Backend.allCases)
    func aDamagedBlockIsQuarantinedUntilStoredAgain(_ backend: Backend) throws {
        let (store, reopen, dir) = try backend.make()
        defer { _ = dir }
        let (id, good) = sampleBlock(7)
        let (_, other) = sampleBlock(8)
        let (neighbour, neighbourStored) = sampleBlock(9)
        try store.put(id, stored: other) // damaged: decodes, but to bytes of another hash
        try store.put(neighbour, stored: neighbourStored)
        try store.sync()
        #expect(try store.has(id))

        let message = "block \(id.hex) is corrupted: its content does not match its hash"
        #expect(throws: BlockError.corrupted(message)) { _ = try store.read(id, maxRawLength: 1 << 20) }
        #expect(try !store.has(id))
        #expect(try store.missing([id, neighbour]) == [id])
        #expect(try store.size(id) == nil)
        #expect(Set(try store.enumerate()) == [neighbour])
        // Later reads, also by another instance, still say what was wrong with it.
        #expect(throws: BlockError.corrupted(message)) { _ = try store.read(id, maxRawLength: 1 << 20) }
        #expect(throws: BlockError.corrupted(message)) { _ = try reopen().read(id, maxRawLength: 1 << 20) }
        #expect(try store.read(neighbour, maxRawLength: 1 << 20).count == 5000)

        try store.put(id, stored: good)
        try store.sync()
        #expect(try store.has(id))
        #expect(try store.read(id, maxRawLength: 1 << 20).count == 5000)
        #expect(try reopen().read(id, maxRawLength: 1 << 20).count == 5000)
        // A late quarantine (another reader that saw the damaged copy) leaves the good copy alone.
        try store.quarantine(id, reason: "its content does not match its hash")
        #expect(try store.read(id, maxRawLength: 1 << 20).count == 5000)
    }

    @Test(arguments: Backend.allCases)
    func quarantineLeavesIntactAndAbsentBlocksAlone(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, stored) = sampleBlock(10)
        try store.put(id, stored: stored)
        try store.sync()
        try store.quarantine(id, reason: "test")
        try store.quarantine(sampleBlock(11).0, reason: "test")
        #expect(try store.read(id, maxRawLength: 1 << 20).count == 5000)
        #expect(throws: BlockError.missing(sampleBlock(11).0)) { _ = try store.get(sampleBlock(11).0) }
    }

    @Test(arguments: Backend.allCases)
    func concurrentPutsAndGets(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<64).map { sampleBlock(UInt64($0), size: 2000) }
        DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
            try? store.put(blocks[i].0, stored: blocks[i].1)
            _ = try? store.get(blocks[(i * 7) % blocks.count].0)
        }
        try store.sync()
        for (id, stored) in blocks { #expect(try store.get(id) == stored) }
    }
}

@Suite struct PackBlockStoreTests {
    @Test func unsyncedBlocksAreNotInTheIndexAfterACrash() throws {
        let (store, reopen, dir) = try Backend.pack.make()
        defer { _ = dir }
        let (a, storedA) = sampleBlock(1)
        let (b, storedB) = sampleBlock(2)
        try store.put(a, stored: storedA)
        try store.sync()
        try store.put(b, stored: storedB)
        // No sync for b: a new process must not believe b is stored (it would dedup against it).
        let again = try reopen()
        #expect(try again.has(a))
        #expect(try !again.has(b))
    }

    /// A caller may write the index rows of durable blocks in its own transaction (a folder put
    /// commits them with the metadata naming the blocks). If that transaction rolls back, the
    /// blocks stay pending: present to this process, indexed by the next sync, never lost.
    @Test func indexRowsOfARolledBackTransactionStayPendingForTheNextSync() throws {
        let dir = try TempDir()
        let open = { () throws -> (PackBlockStore, DatabaseQueue) in
            let db = try DatabaseQueue(path: dir.url.appendingPathComponent("meta.sqlite").path)
            var migrator = DatabaseMigrator()
            PackBlockStore.registerMigrations(in: &migrator)
            try migrator.migrate(db)
            return (try PackBlockStore(folder: dir.url.appendingPathComponent("blocks"), database: db), db)
        }
        let (store, db) = try open()
        let (a, storedA) = sampleBlock(40)
        let (b, storedB) = sampleBlock(41)
        try store.put(a, stored: storedA)
        struct Refused: Error {}
        let first = try store.makeDurable()
        #expect(throws: Refused.self) {
            try db.write { db in
                try store.index(first, db)
                throw Refused()
            }
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM blockIndex") } == 0)
        #expect(try store.has(a) && store.get(a) == storedA)

        // The next snapshot takes a again, with b, and commits both with the caller's own row.
        try store.put(b, stored: storedB)
        let second = try store.makeDurable()
        try db.write { db in
            try store.index(second, db)
            try db.execute(sql: "CREATE TABLE callerRow (x)")
        }
        store.indexed(second)
        let (again, _) = try open()
        #expect(try again.get(a) == storedA && again.get(b) == storedB)
        let (live, indexed) = try liveBytes(dir)
        #expect(live == indexed)
    }

    /// Quarantine moves the index row out and takes the record off the pack's live bytes, so
    /// compaction drops the damaged bytes and keeps everything else, the repaired copy included.
    @Test func quarantinedBytesAreGarbageForCompaction() throws {
        let (store, reopen, dir) = try Backend.pack.make()
        defer { _ = dir }
        let pack = try #require(store as? PackBlockStore)
        let (id, good) = sampleBlock(20, size: 100_000)
        let (_, other) = sampleBlock(21, size: 100_000)
        let (neighbour, neighbourStored) = sampleBlock(22, size: 10_000)
        try store.put(id, stored: other)
        try store.put(neighbour, stored: neighbourStored)
        try pack.seal()
        #expect(throws: BlockError.self) { _ = try store.read(id, maxRawLength: 1 << 20) }
        #expect(try pack.quarantined() == [id])
        let (live, indexed) = try liveBytes(dir!)
        #expect(live == indexed)

        try store.put(id, stored: good)
        try pack.seal()
        #expect(try pack.quarantined().isEmpty)
        let report = try pack.compact()
        #expect(report.rewritten == 1) // the first pack was mostly the damaged record
        #expect(try reopen().read(id, maxRawLength: 1 << 20).count == 100_000)
        #expect(try reopen().read(neighbour, maxRawLength: 1 << 20).count == 10_000)
        let (liveAfter, indexedAfter) = try liveBytes(dir!)
        #expect(liveAfter == indexedAfter)
    }

    /// (sum of packs' liveBytes, sum of the records the index names).
    func liveBytes(_ dir: TempDir) throws -> (Int, Int) {
        let db = try DatabaseQueue(path: dir.url.appendingPathComponent("meta.sqlite").path)
        return try db.read { db in
            (try Int.fetchOne(db, sql: "SELECT SUM(liveBytes) FROM pack") ?? -1,
             try Int.fetchOne(db, sql: "SELECT SUM(length + 36) FROM blockIndex") ?? -2)
        }
    }

    @Test func smallBlocksShareFewPackFiles() throws {
        let (store, _, dir) = try Backend.pack.make()
        defer { _ = dir }
        let pack = try #require(store as? PackBlockStore)
        for i in 0..<2000 {
            let (id, stored) = sampleBlock(UInt64(i), size: 300)
            try store.put(id, stored: stored)
        }
        try store.sync()
        let files = FileManager.default.enumerator(atPath: pack.folder.appendingPathComponent("packs").path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".pack") }
        // ~620 KiB of records into 256 KiB packs.
        #expect(files.count >= 2 && files.count <= 4)
    }
}
