import Blocks
import DriveEngine
import Foundation
import GRDB
import Testing

/// Invariant 4: only emptying the trash and gc remove data, and gc never removes a block that a
/// live version, an older version or an unfinished resumable upload refers to.
@Suite struct GarbageCollectionTests {
    /// Medium blocks for the tests that move tens of MiB.
    static let mediumChunks = ChunkerParameters(minSize: 64 << 10, averageSize: 256 << 10, maxSize: 1 << 20)

    func blockCount(_ data: Data) -> Int {
        data.withUnsafeBytes { Chunker(parameters: Scratch.smallChunks).cuts(of: $0).count }
    }

    @Test func emptyTrashFreesOnlyBlocksNothingElseUses() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let shared = randomBytes(60_000, seed: 1), unique = randomBytes(50_000, seed: 2)
        let old = randomBytes(30_000, seed: 3), new = randomBytes(30_000, seed: 4)
        try scratch.write("keep/shared.bin", shared)
        try scratch.write("keep/v.bin", old)
        try scratch.write("gone/shared.bin", shared)
        try scratch.write("gone/unique.bin", unique)
        try session.put(local: scratch.path("keep"))
        try session.put(local: scratch.path("gone"))
        try session.put(local: try scratch.write("keep/v.bin", new), to: "/keep/v.bin")
        let live = blockCount(shared) + blockCount(old) + blockCount(new)
        #expect(try session.stats().blocks == live + blockCount(unique))

        try session.trash("/gone")
        #expect(try scratch.drive.collectGarbage().blocksRemoved == 0) // the trash still refers to them
        #expect(try session.stats().blocks == live + blockCount(unique))

        #expect(try session.emptyTrash() == 3) // the folder and its two files
        #expect(try session.trashList().isEmpty)
        let stats = try session.stats()
        #expect(stats.blocks == live)
        #expect(stats.versions == 3)
        #expect(stats.logicalBytes == 120_000)
        #expect(try session.contents("/keep/shared.bin") == shared)
        #expect(try session.contents("/keep/v.bin", version: 1) == old)
        #expect(try session.contents("/keep/v.bin") == new)
        #expect(try scratch.drive.verify().isHealthy)
        #expect(try scratch.drive.collectGarbage().blocksRemoved == 0)
        expectDriveError(.notFound) { try session.untrash("/gone") }
    }

    /// Pack files whose blocks all went are deleted from disk.
    @Test func gcDeletesPackFilesWithNoLiveBlock() throws {
        let scratch = try Scratch()
        let data = randomBytes(200_000, seed: 5)
        try scratch.session.put(local: try scratch.write("big.bin", data))
        let packs = try packFiles(scratch)
        #expect(packs.count == 1)
        try scratch.session.trash("/big.bin")
        try scratch.session.emptyTrash()
        #expect(try scratch.session.stats().blocks == 0)
        #expect(try packFiles(scratch).isEmpty)
        #expect(try scratch.query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pack") } == 0)
    }

    /// Every put seals its pack, so files put one at a time leave one small pack each; gc merges
    /// them into one, and everything still reads back.
    @Test func gcMergesSmallPacks() throws {
        let scratch = try Scratch()
        var contents: [String: Data] = [:]
        for index in 0..<12 {
            let data = randomBytes(20_000 + index, seed: 100 + UInt64(index))
            contents["/f\(index).bin"] = data
            try scratch.session.put(local: try scratch.write("f\(index).bin", data), to: "/f\(index).bin")
        }
        #expect(try packFiles(scratch).count == 12)
        let report = try scratch.drive.collectGarbage()
        #expect(report.packsRewritten == 12)
        #expect(try packFiles(scratch).count == 1)
        for (path, data) in contents { #expect(try scratch.session.contents(path) == data) }
        #expect(try scratch.drive.verify().isHealthy)
        #expect(try scratch.drive.collectGarbage().packsRewritten == 0, "a lone small pack stays as it is")
    }

    /// A cancelled put leaves blocks that nothing refers to: gc removes them, and only them.
    @Test func gcSweepsTheBlocksOfACancelledPut() throws {
        let scratch = try Scratch(chunker: Self.mediumChunks)
        let session = scratch.session
        let keep = randomBytes(300_000, seed: 6)
        try session.put(local: try scratch.write("keep.bin", keep))
        let state = try session.state()

        let big = try scratch.write("big.bin", randomBytes(24 << 20, seed: 7))
        let cancellation = Cancellation()
        let options = TransferOptions(progress: { _ in cancellation.cancel() }, cancellation: cancellation)
        expectDriveError(.cancelled) { try session.put(local: big, options: options) }
        expectDriveError(.notFound) { _ = try session.item(at: "/big.bin") }
        #expect(try session.state().items == state.items)
        #expect(try session.stats().blocks > state.stats.blocks) // stored, durable, unreferenced

        let report = try scratch.drive.collectGarbage()
        #expect(report.blocksRemoved > 0)
        #expect(try session.state() == state)
        #expect(try session.contents("/keep.bin") == keep)
        #expect(try scratch.drive.verify().isHealthy)
    }

    /// An interrupted large put keeps its upload session; gc leaves its blocks alone and the
    /// next put of the same file continues from them.
    @Test func gcKeepsTheBlocksOfAnUnfinishedUploadAndThePutResumes() throws {
        let scratch = try Scratch(chunker: Self.mediumChunks)
        let session = scratch.session
        let data = randomBytes(96 << 20, seed: 8)
        let local = try scratch.write("large.bin", data)

        // Cancel once 64 MiB (one checkpoint) have been stored.
        let cancellation = Cancellation()
        let options = TransferOptions(progress: { if $0.bytesDone >= 64 << 20 { cancellation.cancel() } }, cancellation: cancellation)
        expectDriveError(.cancelled) { try session.put(local: local, to: "/large.bin", options: options) }
        expectDriveError(.notFound) { _ = try session.item(at: "/large.bin") }
        let (bytesDone, uploadBlocks) = try scratch.query { db in
            (try Int64.fetchOne(db, sql: "SELECT bytesDone FROM uploadSession") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadBlock") ?? 0)
        }
        try #require(uploadBlocks > 0, "the put was cancelled before its first checkpoint")
        #expect(bytesDone >= 64 << 20)

        try scratch.drive.collectGarbage()
        let lost = try scratch.query { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadBlock WHERE blockId NOT IN (SELECT id FROM blockIndex)")
        }
        #expect(lost == 0)
        let verify = try scratch.drive.verify()
        #expect(verify.isHealthy)
        #expect(verify.blocksChecked >= uploadBlocks)

        let report = try session.put(local: local, to: "/large.bin")
        #expect(report.resumedAt == bytesDone)
        #expect(report.filesStored == 1)
        #expect(try scratch.query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadSession") } == 0)
        let out = scratch.path("large.out")
        try session.get("/large.bin", to: out)
        #expect(try scratch.read(out) == data)
        #expect(try scratch.drive.verify().isHealthy)
    }

    /// An upload session belongs to one state of the local file: once the file changed, the next
    /// put starts over instead of splicing old blocks into new content.
    @Test func aChangedFileStartsAFreshUpload() throws {
        let scratch = try Scratch(chunker: Self.mediumChunks)
        let session = scratch.session
        let local = try scratch.write("large.bin", randomBytes(96 << 20, seed: 9))
        let cancellation = Cancellation()
        let options = TransferOptions(progress: { if $0.bytesDone >= 64 << 20 { cancellation.cancel() } }, cancellation: cancellation)
        expectDriveError(.cancelled) { try session.put(local: local, to: "/large.bin", options: options) }
        try #require(try scratch.query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadBlock") ?? 0 } > 0)

        var changed = try scratch.read(local)
        changed[1000] ^= 0xFF // inside the part already uploaded
        changed.append(Data("tail".utf8))
        try changed.write(to: URL(fileURLWithPath: local))
        let report = try session.put(local: local, to: "/large.bin")
        #expect(report.resumedAt == nil)
        let out = scratch.path("large.out")
        try session.get("/large.bin", to: out)
        #expect(try scratch.read(out) == changed)
        #expect(try scratch.query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadSession") } == 0)
        #expect(try scratch.drive.verify().isHealthy)
    }

    func packFiles(_ scratch: Scratch) throws -> [String] {
        let root = scratch.store.appendingPathComponent("blocks/packs").path
        return try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".pack") }
    }
}
