import Blocks
import DriveEngine
import Foundation
import GRDB
import Testing

/// A reader in one process and garbage collection in another: nothing a reader sees may change
/// because gc ran. Two `Drive`s opened on one store have a lock file each, so between them the
/// store lock behaves exactly as between two processes. Both tests failed when get took no lock:
/// the collector swept the blocks under the paused get, which then reported them corrupted.
@Suite struct ReaderVersusCollectorTests {
    /// A get that stops after its first batch of blocks until `resume()`, holding whatever it holds.
    final class PausedGet: @unchecked Sendable {
        // The semaphores are thread-safe; `result` is written once before `finished` is signalled.
        let midway = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        var result: Result<GetReport, DriveError>?

        init(_ session: DriveSession, _ path: String, to local: String) {
            let paused = PausedFlag()
            let options = TransferOptions(progress: { [midway, proceed] _ in
                if paused.first() {
                    midway.signal()
                    proceed.wait()
                }
            })
            Thread.detachNewThread { [self] in
                result = Result { () throws(DriveError) -> GetReport in try session.get(path, to: local, options: options) }
                finished.signal()
            }
        }

        func resume() -> Result<GetReport, DriveError>? {
            proceed.signal()
            _ = finished.wait(timeout: .now() + 60)
            return result
        }
    }

    /// True the first time only. Thread-safe via `lock`.
    final class PausedFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false // guarded by `lock`
        func first() -> Bool { lock.withLock { defer { done = true }; return !done } }
    }

    /// Every block index row, as (id, pack, offset), read through a connection of its own.
    static func indexRows(_ scratch: Scratch) throws -> [String] {
        let queue = try DatabaseQueue(path: scratch.store.appendingPathComponent("meta.sqlite").path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT hex(id) AS id, packId, offset FROM blockIndex ORDER BY id").map {
                "\($0["id"] as String) \($0["packId"] as Int64) \($0["offset"] as Int64)"
            }
        }
    }

    /// A file big enough that get streams it in batches (more than 32 MiB).
    static let bigSize = 33 << 20

    @Test func emptyingTheTrashWaitsForAGetOfAFileItPurges() throws {
        let scratch = try Scratch(chunker: GarbageCollectionTests.mediumChunks)
        let content = randomBytes(Self.bigSize, seed: 11)
        try scratch.session.put(local: try scratch.write("big.bin", content), to: "/big.bin")
        let get = PausedGet(scratch.session, "/big.bin", to: scratch.path("copy.bin"))
        #expect(get.midway.wait(timeout: .now() + 60) == .success)

        // Another process deletes the file for good while the copy is halfway.
        let other = try Drive.open(at: scratch.store, create: false)
        let session = try other.session(for: "alice")
        try session.trash("/big.bin")
        let emptied = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? session.emptyTrash()
            emptied.signal()
        }
        // Its sweep must wait for the reader. (The bounded wait gives a wrong lock time to let it in.)
        #expect(emptied.wait(timeout: .now() + 0.5) == .timedOut, "gc swept while a get was reading")
        let result = get.resume()
        #expect(emptied.wait(timeout: .now() + 60) == .success)

        switch result {
        case .success: #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("copy.bin"))) == content)
        case .failure(let error): Issue.record("the get failed: \(error)")
        case nil: Issue.record("the get did not finish")
        }
        #expect(try other.collectGarbage().blocksRemoved == 0, "the emptied trash's blocks were not swept")
        #expect(try other.verify().problems.isEmpty)
    }

    @Test func compactionWaitsForAGetAndMovesNothingUnderIt() throws {
        let scratch = try Scratch(chunker: GarbageCollectionTests.mediumChunks)
        let content = randomBytes(Self.bigSize, seed: 12)
        // One folder put fills a 64 MiB pack with a.bin's blocks and then big.bin's; a new version
        // of a.bin under a version cap of 1 turns a.bin's old blocks into garbage (no gc yet), so
        // compaction will rewrite the pack that holds the first part of big.bin.
        try scratch.drive.setVersionCap(1)
        try scratch.write("dir/a.bin", randomBytes(36 << 20, seed: 13))
        try scratch.write("dir/big.bin", content)
        try scratch.session.put(local: scratch.path("dir"), to: "/dir")
        try scratch.session.put(local: try scratch.write("dir/a.bin", Data("small now".utf8)), to: "/dir/a.bin")
        let indexBefore = try Self.indexRows(scratch)
        let get = PausedGet(scratch.session, "/dir/big.bin", to: scratch.path("copy.bin"))
        #expect(get.midway.wait(timeout: .now() + 60) == .success)

        let other = try Drive.open(at: scratch.store, create: false)
        let collected = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var report: GarbageReport? } // written before `collected`
        let box = Box()
        Thread.detachNewThread {
            box.report = try? other.collectGarbage()
            collected.signal()
        }
        #expect(collected.wait(timeout: .now() + 0.5) == .timedOut, "compaction ran while a get was reading")
        // Nothing was swept or moved meanwhile: the index is as it was (gc deletes first, fast).
        #expect(try Self.indexRows(scratch) == indexBefore, "gc changed the block index under a get")
        let result = get.resume()
        #expect(collected.wait(timeout: .now() + 60) == .success)
        #expect((box.report?.blocksRemoved ?? 0) > 0 && (box.report?.packsRewritten ?? 0) >= 1,
                "nothing was compacted: \(String(describing: box.report))")
        if case .failure(let error) = result { Issue.record("the get failed: \(error)") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("copy.bin"))) == content)
        #expect(try scratch.session.contents("/dir/big.bin", limit: .max) == content)
    }
}
