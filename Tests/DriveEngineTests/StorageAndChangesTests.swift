import DriveEngine
import Foundation
import Testing

/// Per-version storage figures, purging one trashed item, and waiting on the change journal.
@Suite struct StorageAndChangesTests {
    @Test func storageCountsBlocksSharedWithOtherFiles() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let common = randomBytes(64 << 10, seed: 1)
        try session.put(local: try scratch.write("a.bin", common + randomBytes(64 << 10, seed: 2)), to: "/a.bin")
        let alone = try session.storage("/a.bin")
        #expect(alone.sharedWithOtherFiles == 0)
        #expect(alone.uniqueBytes == 128 << 10)
        #expect(alone.storedBytes > alone.uniqueBytes)  // random data stays raw, plus headers
        try session.put(local: try scratch.write("b.bin", common), to: "/b.bin")
        let shared = try session.storage("/a.bin")
        #expect(shared.sharedWithOtherFiles > 0 && shared.sharedWithOtherFiles < shared.blocks)
        expectDriveError(.invalidArgument) { _ = try session.storage("/") }
    }

    @Test func purgeRemovesOneTrashedItemAndItsBlocks() throws {
        let scratch = try Scratch()
        let session = scratch.session
        try session.put(local: try scratch.write("keep.bin", randomBytes(40_000, seed: 3)), to: "/keep.bin")
        try session.put(local: try scratch.write("gone.bin", randomBytes(40_000, seed: 4)), to: "/dir/gone.bin")
        let before = try session.stats().blocks
        try session.trash("/dir")
        try session.trash("/keep.bin")
        try session.purge("/dir")
        #expect(try session.trashList().map(\.path.description) == ["/keep.bin"])
        #expect(try session.stats().blocks < before)
        try session.untrash("/keep.bin")
        #expect(try session.contents("/keep.bin") == randomBytes(40_000, seed: 3))
        expectDriveError(.notFound) { try session.purge("/dir") }
    }

    @Test func waitForChangeWakesOnAWriteAndTimesOut() async throws {
        let scratch = try Scratch()
        let drive = scratch.drive
        let start = try drive.latestSequence()
        #expect(try drive.waitForChange(after: start, timeout: .milliseconds(150)) == start)
        let waiter = Task.detached { try drive.waitForChange(after: start, timeout: .seconds(20)) }
        try scratch.session.makeFolder("/new")
        let seen = try await waiter.value
        #expect(seen > start)
    }
}
