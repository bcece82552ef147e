import Blocks
import DriveEngine
import Foundation
import GRDB
import Testing

/// A store held by another process's long transaction is "busy" (retryable, exit 75), never an
/// edit conflict; and a block store's sync waiting for the database does not stall readers.
@Suite struct BusyStoreTests {
    /// A second connection to the store's database holding the write lock until `release()`.
    final class WriteBlocker {
        let queue: DatabaseQueue
        init(_ path: String) throws {
            var config = Configuration()
            config.allowsUnsafeTransactions = true // the transaction outlives one database access
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        }
        func release() throws {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        }
    }

    @Test func aLockedDatabaseIsBusyNotAConflict() throws {
        let scratch = try Scratch()
        let impatient = try Drive.open(at: scratch.store, create: false, busyTimeout: 0.2)
        let session = try impatient.session(for: "alice")
        let blocker = try WriteBlocker(scratch.store.appendingPathComponent("meta.sqlite").path)
        #expect {
            try session.makeFolder("/later")
        } throws: { error in
            guard let error = error as? DriveError else { return false }
            return error.code == .busy && error.reason.contains("the store is busy") && error.underlying?.sqliteCode != nil
        }
        try blocker.release()
        try session.makeFolder("/later")
        #expect(try session.list("/").map(\.item.name) == ["later"])
    }

    @Test func aPutThatMeetsALockedIndexIsBusy() throws {
        let scratch = try Scratch()
        let impatient = try Drive.open(at: scratch.store, create: false, busyTimeout: 0.2)
        let session = try impatient.session(for: "alice")
        let file = try scratch.write("a.bin", randomBytes(100_000, seed: 7))
        let blocker = try WriteBlocker(scratch.store.appendingPathComponent("meta.sqlite").path)
        #expect {
            try session.put(local: file, to: "/a.bin")
        } throws: { error in
            (error as? DriveError)?.code == .busy
        }
        try blocker.release()
        try session.put(local: file, to: "/a.bin")
        #expect(try session.contents("/a.bin") == Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// A put whose last sync met a busy database leaves nothing behind in the process: another
    /// process's gc may then delete the packs it had started, and the next put still works.
    @Test func aPutThatFailedAtItsLastSyncDoesNotPoisonTheProcess() throws {
        let scratch = try Scratch(chunker: GarbageCollectionTests.mediumChunks)
        let impatient = try Drive.open(at: scratch.store, create: false, busyTimeout: 0.2)
        let session = try impatient.session(for: "alice")
        let big = try scratch.write("big.bin", randomBytes(40 << 20, seed: 5))
        final class Blocked: @unchecked Sendable { // set once, from the put's own thread
            var blocker: WriteBlocker?
        }
        let blocked = Blocked()
        let dbPath = scratch.store.appendingPathComponent("meta.sqlite").path
        // The database is taken away once blocks are flowing (the first batches are in a pack,
        // which is registered): the put's final sync fails.
        let options = TransferOptions(progress: { progress in
            if blocked.blocker == nil && progress.bytesDone >= 24 << 20 { blocked.blocker = try? WriteBlocker(dbPath) }
        })
        #expect {
            try session.put(local: big, to: "/big.bin", options: options)
        } throws: { error in
            (error as? DriveError)?.code == .busy
        }
        try #require(blocked.blocker != nil)
        try blocked.blocker?.release()
        // Another process collects garbage: the packs that put started hold nothing indexed.
        #expect(try scratch.drive.collectGarbage().packsDeleted >= 1)
        let small = try scratch.write("small.bin", randomBytes(300_000, seed: 6))
        try session.put(local: small, to: "/small.bin")
        #expect(try session.contents("/small.bin", limit: .max) == Data(contentsOf: URL(fileURLWithPath: small)))
        try session.put(local: big, to: "/big.bin")
        #expect(try scratch.drive.verify().problems.isEmpty)
    }

    /// A pack store over a database whose writes wait up to 30 s for another connection.
    static func packStore() throws -> (PackBlockStore, URL, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let dbPath = dir.appendingPathComponent("meta.sqlite").path
        var config = Configuration()
        config.busyMode = .timeout(30)
        let pool = try DatabasePool(path: dbPath, configuration: config)
        var migrator = DatabaseMigrator()
        PackBlockStore.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        return (try PackBlockStore(folder: dir.appendingPathComponent("blocks"), database: pool), dir, dbPath)
    }

    /// A put that must first register a new pack, while the database is held by another
    /// connection, must not hold the block store's lock: a read on another thread goes on.
    @Test func aPutWaitingToRegisterAPackDoesNotStallReads() throws {
        let (store, dir, dbPath) = try Self.packStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let codec = BlockCodec(level: 1)
        let durable = randomBytes(50_000, seed: 3), later = randomBytes(50_000, seed: 4)
        let durableID = BlockID(hashing: durable)
        try store.put(durableID, stored: codec.encode(durable))
        try store.seal() // the next put needs a new pack
        let blocker = try WriteBlocker(dbPath)
        let stored = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? store.put(BlockID(hashing: later), stored: codec.encode(later))
            stored.signal()
        }
        #expect(stored.wait(timeout: .now() + 0.3) == .timedOut, "the put did not wait for the database")
        let read = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? store.read(durableID, maxRawLength: 1 << 20)
            read.signal()
        }
        let readInTime = read.wait(timeout: .now() + 5) == .success
        try blocker.release()
        #expect(readInTime, "a read waited for a put that waited for the database")
        #expect(stored.wait(timeout: .now() + 30) == .success)
        try store.sync()
        #expect(try store.missing([BlockID(hashing: later)]).isEmpty)
    }

    /// `sync()` waiting for the database (another process's transaction) must not hold the block
    /// store's lock: a read of a durable block and a put on other threads go on meanwhile.
    @Test func syncWaitingForTheIndexDoesNotStallReads() throws {
        let (store, dir, dbPath) = try Self.packStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let codec = BlockCodec(level: 1)
        let durable = randomBytes(50_000, seed: 1), pending = randomBytes(50_000, seed: 2)
        let durableID = BlockID(hashing: durable), pendingID = BlockID(hashing: pending)
        try store.put(durableID, stored: codec.encode(durable))
        try store.sync()
        try store.put(pendingID, stored: codec.encode(pending))

        let blocker = try WriteBlocker(dbPath)
        let synced = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? store.sync() // waits for the blocker's transaction
            synced.signal()
        }
        #expect(synced.wait(timeout: .now() + 0.3) == .timedOut, "sync did not wait for the database")
        let read = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var data: Data? } // written once before `read` is signalled
        let box = Box()
        Thread.detachNewThread {
            box.data = try? store.read(durableID, maxRawLength: 1 << 20)
            _ = try? store.read(pendingID, maxRawLength: 1 << 20)
            read.signal()
        }
        let readInTime = read.wait(timeout: .now() + 5) == .success
        try blocker.release()
        #expect(readInTime, "a read waited for a sync that waited for the database")
        #expect(synced.wait(timeout: .now() + 30) == .success)
        if readInTime { #expect(box.data == durable) }
        #expect(try store.missing([durableID, pendingID]).isEmpty)
    }
}
