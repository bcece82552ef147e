import DriveEngine
import Foundation
import GRDB
import Testing

/// A damaged block heals (like restic's repair): once a read finds it damaged (`verify` or
/// `get`), it is quarantined and no longer counts as stored, so putting the same content again
/// stores a good copy, which repairs every file and version that uses the block id.
@Suite struct CorruptionRepairTests {
    /// The damaged file and a copy that shares every one of its blocks.
    let original = randomBytes(100_000, seed: 41)
    let sound = randomBytes(60_000, seed: 42)

    func damagedDrive() throws -> (Scratch, StoredBlock) {
        let scratch = try Scratch()
        try scratch.write("docs/damaged.bin", original)
        try scratch.write("docs/sound.bin", sound)
        try scratch.session.put(local: scratch.path("docs"))
        try scratch.session.put(local: try scratch.write("copy.bin", original), to: "/backup/copy.bin")
        #expect(try scratch.drive.verify().isHealthy)
        let block = try scratch.storedBlock(1, of: "/docs/damaged.bin")
        try scratch.flipByte(at: block.offset + block.length / 2, in: block.pack)
        return (scratch, block)
    }

    /// Every pack's `liveBytes` equals the records the index still names in it.
    func expectLiveBytesMatchTheIndex(_ scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mismatched = try scratch.query { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM pack WHERE liveBytes !=
                    (SELECT COALESCE(SUM(length + 36), 0) FROM blockIndex WHERE packId = pack.id)
                """)
        }
        #expect(mismatched == 0, sourceLocation: sourceLocation)
    }

    func quarantinedCount(_ scratch: Scratch) throws -> Int {
        try scratch.query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantinedBlock") } ?? -1
    }

    @Test func verifyQuarantinesAndPuttingTheContentToANewPathHealsEveryFile() throws {
        let (scratch, block) = try damagedDrive()
        let session = scratch.session

        let report = try scratch.drive.verify()
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.block == block.hex)
        #expect(problem.affected == ["alice:/docs/damaged.bin (version 1)", "alice:/backup/copy.bin (version 1)"])
        #expect(problem.reason.contains("corrupted"))
        #expect(problem.message.hasSuffix("(put the original file again to repair it, then run 'cairn verify')"), "\(problem.message)")
        #expect(problem.message.contains("affects alice:/docs/damaged.bin (version 1), alice:/backup/copy.bin (version 1)"))
        // Set aside: its index row is gone and the pack no longer counts its bytes as live.
        #expect(try quarantinedCount(scratch) == 1)
        try expectLiveBytesMatchTheIndex(scratch)

        // Verify again: still reported, with the same reason and paths.
        #expect(try scratch.drive.verify().problems == report.problems)
        // gc before the repair keeps the quarantine record (files still use the block).
        try scratch.drive.collectGarbage()
        #expect(try scratch.drive.verify().problems == report.problems)
        try expectLiveBytesMatchTheIndex(scratch)

        // The same content under a new name: the damaged block is stored again, not shared.
        let put = try session.put(local: try scratch.write("again.bin", original), to: "/again.bin")
        #expect(put.newBlocks == 1)
        #expect(try quarantinedCount(scratch) == 0)
        #expect(try scratch.drive.verify().isHealthy)
        try expectLiveBytesMatchTheIndex(scratch)

        try expectBothCopiesRead(scratch, into: try scratch.makeFolder("out"))

        // gc keeps the good copy and drops the damaged bytes; everything still reads.
        try scratch.drive.collectGarbage()
        #expect(try scratch.drive.verify().isHealthy)
        try expectLiveBytesMatchTheIndex(scratch)
        #expect(try session.contents("/again.bin") == original)
        #expect(try session.contents("/docs/damaged.bin") == original)
        #expect(try session.contents("/docs/sound.bin") == sound)
    }

    @Test func getQuarantinesAndPuttingTheFileAgainToItsOwnPathHealsIt() throws {
        let (scratch, block) = try damagedDrive()
        let session = scratch.session
        let out = try scratch.makeFolder("out")

        let error = expectDriveError(.corrupted) { try session.get("/docs/damaged.bin", to: out + "/damaged.bin") }
        #expect(error?.subject == "/docs/damaged.bin")
        #expect(error?.description.contains(block.hex) == true)
        #expect(error?.hint == Drive.repairHint)
        #expect(error?.description.hasSuffix("(put the original file again to repair it, then run 'cairn verify')") == true, "\(String(describing: error))")
        #expect(try quarantinedCount(scratch) == 1)
        // A second get (another file with the block) still says it is corrupted, not just missing.
        let again = expectDriveError(.corrupted) { try session.get("/backup/copy.bin", to: out + "/copy.bin") }
        #expect(again?.description.contains("\(block.hex) is corrupted") == true, "\(String(describing: again))")
        #expect(try localTree(out).isEmpty)
        #expect(try scratch.drive.verify().problems.map(\.affected) ==
                [["alice:/docs/damaged.bin (version 1)", "alice:/backup/copy.bin (version 1)"]])

        // Put the original file to its own path: same content, so no new version, but the
        // block is stored again and the report counts it.
        let put = try session.put(local: scratch.path("docs/damaged.bin"), to: "/docs/damaged.bin")
        #expect(put.filesUnchanged == 1)
        #expect(put.newBlocks == 1)
        #expect(try quarantinedCount(scratch) == 0)
        #expect(try session.log("/docs/damaged.bin").count == 1)
        #expect(try scratch.drive.verify().isHealthy)
        try expectBothCopiesRead(scratch, into: out)
        try scratch.drive.collectGarbage()
        #expect(try scratch.drive.verify().isHealthy)
        try expectLiveBytesMatchTheIndex(scratch)
    }

    /// Dedup on a damaged drive: before any read finds the damage the block is shared (nothing
    /// knows better), after it the put stores a fresh copy.
    @Test func putAfterDetectionDoesNotShareTheDamagedBlock() throws {
        let (scratch, _) = try damagedDrive()
        let session = scratch.session
        #expect(try session.put(local: try scratch.write("a.bin", original), to: "/a.bin").newBlocks == 0)
        #expect(try scratch.drive.verify().problems.first?.affected.contains("alice:/a.bin (version 1)") == true)
        #expect(try session.put(local: try scratch.write("b.bin", original), to: "/b.bin").newBlocks == 1)
        #expect(try scratch.drive.verify().isHealthy)
        #expect(try session.contents("/a.bin") == original)
    }

    /// A quarantined block that nothing uses any more is forgotten by gc.
    @Test func gcForgetsAQuarantinedBlockNothingUses() throws {
        let (scratch, _) = try damagedDrive()
        let session = scratch.session
        #expect(!(try scratch.drive.verify().isHealthy))
        #expect(try quarantinedCount(scratch) == 1)
        try session.trash("/docs/damaged.bin")
        try session.trash("/backup/copy.bin")
        _ = try session.emptyTrash()
        try scratch.drive.collectGarbage()
        #expect(try quarantinedCount(scratch) == 0)
        #expect(try scratch.drive.verify().isHealthy)
        try expectLiveBytesMatchTheIndex(scratch)
        #expect(try session.contents("/docs/sound.bin") == sound)
    }

    /// Both files with the once-damaged block download with the original bytes.
    func expectBothCopiesRead(_ scratch: Scratch, into out: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try scratch.session.get("/docs/damaged.bin", to: out + "/damaged.bin")
        try scratch.session.get("/backup/copy.bin", to: out + "/copy.bin")
        #expect(try scratch.read(out + "/damaged.bin") == original, sourceLocation: sourceLocation)
        #expect(try scratch.read(out + "/copy.bin") == original, sourceLocation: sourceLocation)
    }
}
