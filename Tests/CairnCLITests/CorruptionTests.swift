import Foundation
import Testing

/// Corruption (issue 2, "Must show"; DESIGN.md invariant 5): a byte flipped inside a stored block
/// is caught on read; `get` and `verify` exit 7 and name the affected drive paths.
@Suite struct CorruptionTests {
    /// Where a block of the head version of the file named `name` sits: pack file, offset, length.
    static func storedBlock(_ drive: TemporaryDrive, fileNamed name: String) throws -> (pack: URL, offset: UInt64, length: Int) {
        let row = try drive.sql("""
            SELECT pack.name, blockIndex.offset, blockIndex.length FROM item
            JOIN versionBlock ON versionBlock.versionId = item.headVersionId
            JOIN blockIndex ON blockIndex.id = versionBlock.blockId
            JOIN pack ON pack.id = blockIndex.packId
            WHERE item.name = '\(name.replacingOccurrences(of: "'", with: "''"))' ORDER BY versionBlock.seq LIMIT 1
            """)
        let fields = row.split(separator: "|").map(String.init)
        let (packName, offset, length) = try #require(fields.count == 3 ? (fields[0], UInt64(fields[1]), Int(fields[2])) : nil,
                                                      "no stored block for \(name): '\(row)'")
        let pack = drive.store.appendingPathComponent("blocks/packs/\(packName.prefix(2))/\(packName).pack")
        return (pack, try #require(offset), try #require(length))
    }

    /// Inverts one byte in the middle of the stored block.
    static func flipByte(_ block: (pack: URL, offset: UInt64, length: Int)) throws {
        let handle = try FileHandle(forUpdating: block.pack)
        defer { try? handle.close() }
        let position = block.offset + UInt64(block.length / 2)
        try handle.seek(toOffset: position)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: position)
        try handle.write(contentsOf: Data([~byte]))
        try handle.synchronize()
    }

    @Test func flippedByteIsReportedByGetAndVerifyWithThePath() throws {
        let drive = try TemporaryDrive()
        let report = String(repeating: "매출 보고서, 3분기. Quarterly sales report.\n", count: 2000)
        try drive.write("보고서.txt", report)
        try drive.write("healthy.bin", SeededBytes.data(count: 100_000, seed: 11))
        try drive.succeed("mkdir", "/문서")
        try drive.succeed("put", "보고서.txt", "/문서/보고서.txt")
        try drive.succeed("put", "보고서.txt", "/사본.txt")
        try drive.succeed("put", "healthy.bin", "/healthy.bin")
        try drive.succeed("verify")

        try Self.flipByte(try Self.storedBlock(drive, fileNamed: "보고서.txt"))

        let get = try drive.run("get", "/문서/보고서.txt", "out.txt")
        get.expectFailure(ExitStatus.corrupted, mentioning: ["/문서/보고서.txt"])
        #expect(!drive.exists("out.txt"), "a failed get leaves no file at the final path")
        #expect(FileCommandTests.leftoverTemporaries(drive.work).isEmpty, "a failed get leaves no temporary file")
        try drive.run("cat", "/사본.txt").expectFailure(ExitStatus.corrupted, mentioning: ["/사본.txt"])

        let verify = try drive.run("verify")
        #expect(!verify.killedBySignal && verify.status == ExitStatus.corrupted, "\(verify)")
        #expect(verify.stdout.isEmpty, "\(verify)")
        #expect(!verify.stderrLines.isEmpty && verify.stderrLines.allSatisfy { $0.hasPrefix("cairn: verify: ") }, "\(verify)")
        // The damaged block is shared by both copies: both are named; the healthy file is not.
        #expect(verify.stderr.contains("/문서/보고서.txt") && verify.stderr.contains("/사본.txt"), "\(verify)")
        #expect(!verify.stderr.contains("healthy.bin"), "\(verify)")

        let json = try drive.run("verify", "--json")
        #expect(json.status == ExitStatus.corrupted, "\(json)")
        let object = try json.jsonObject()
        #expect(object["ok"] as? Bool == false)
        let problems = try #require(object["problems"] as? [[String: Any]])
        let affected = problems.flatMap { $0["affected"] as? [String] ?? [] }
        #expect(affected.contains { $0.contains("/문서/보고서.txt") } && affected.contains { $0.contains("/사본.txt") }, "\(problems)")

        // Undamaged files still read fine.
        try drive.succeed("get", "/healthy.bin", "healthy-out.bin")
        #expect(try drive.read("healthy-out.bin") == drive.read("healthy.bin"))
    }

    @Test func flippedByteInOneBlockOfALargeFileFailsItsGet() throws {
        let drive = try TemporaryDrive(initArguments: ["--chunk-min", "65536", "--chunk-avg", "262144", "--chunk-max", "1048576"])
        try drive.write("big.bin", SeededBytes.data(count: 3 << 20, seed: 5))
        try drive.succeed("put", "big.bin", "/큰 파일.bin")
        #expect(try drive.succeed("log", "--json", "/큰 파일.bin").jsonObjects().first?["newBlocks"] as? Int ?? 0 > 3)
        try Self.flipByte(try Self.storedBlock(drive, fileNamed: "큰 파일.bin"))
        try drive.run("get", "/큰 파일.bin").expectFailure(ExitStatus.corrupted, mentioning: ["/큰 파일.bin"])
        #expect(!drive.exists("큰 파일.bin"))
        let verify = try drive.run("verify")
        #expect(verify.status == ExitStatus.corrupted && verify.stderr.contains("/큰 파일.bin"), "\(verify)")
    }
}
