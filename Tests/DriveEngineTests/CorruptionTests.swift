import DriveEngine
import Foundation
import Testing

/// Invariant 5: every block read is verified; a damaged block makes `get` fail with the drive
/// path, and `verify` names the block and every path that uses it.
@Suite struct CorruptionTests {
    /// Where in a stored block the flipped byte lands.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        /// The 8-byte block header (magic, format, codec, raw length).
        case header
        /// The payload: the bytes no longer match the block's hash.
        case payload
        var testDescription: String { rawValue }
    }

    @Test(arguments: Damage.allCases)
    func getAndVerifyReportTheDamagedPath(_ damage: Damage) throws {
        let scratch = try Scratch()
        let session = scratch.session
        let damaged = randomBytes(100_000, seed: 1)
        try scratch.write("docs/damaged.bin", damaged)
        try scratch.write("docs/sound.bin", randomBytes(60_000, seed: 2))
        try session.put(local: scratch.path("docs"))
        try session.put(local: try scratch.write("copy.bin", damaged), to: "/backup/copy.bin") // shares every block
        #expect(try scratch.drive.verify().isHealthy)

        let block = try scratch.storedBlock(1, of: "/docs/damaged.bin")
        try scratch.flipByte(at: block.offset + (damage == .header ? 1 : block.length / 2), in: block.pack)

        let out = try scratch.makeFolder("out")
        let error = expectDriveError(.corrupted) { try session.get("/docs/damaged.bin", to: out + "/damaged.bin") }
        #expect(error?.subject == "/docs/damaged.bin")
        #expect(error?.description.contains("/docs/damaged.bin") == true)
        #expect(error?.description.contains(block.hex) == true)
        expectDriveError(.corrupted) { try session.get("/docs", to: out + "/docs") }
        expectDriveError(.corrupted) { _ = try session.contents("/backup/copy.bin") }
        // Nothing half-written is left behind (invariant 7), and a folder get appears whole or
        // not at all: nothing is there.
        #expect(try localTree(out) == [:])

        // Files that do not use the block are fine.
        try session.get("/docs/sound.bin", to: out + "/sound.bin")
        #expect(try scratch.read(out + "/sound.bin") == randomBytes(60_000, seed: 2))

        let report = try scratch.drive.verify()
        #expect(!report.isHealthy)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.block == block.hex)
        #expect(problem.affected == ["alice:/docs/damaged.bin (version 1)", "alice:/backup/copy.bin (version 1)"])
    }

    /// A block whose index row points at nothing (pack file gone) is reported the same way.
    @Test func missingPackFile() throws {
        let scratch = try Scratch()
        try scratch.session.put(local: try scratch.write("a.bin", randomBytes(50_000, seed: 3)), to: "/a.bin")
        let block = try scratch.storedBlock(1, of: "/a.bin")
        try FileManager.default.removeItem(atPath: block.pack)
        let error = expectDriveError(.corrupted) { _ = try scratch.session.contents("/a.bin") }
        #expect(error?.subject == "/a.bin")
        let report = try scratch.drive.verify()
        #expect(report.problems.map(\.affected) == Array(repeating: ["alice:/a.bin (version 1)"], count: report.problems.count))
        #expect(!report.problems.isEmpty)
    }
}
