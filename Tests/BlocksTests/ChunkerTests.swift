import Blocks
import Foundation
import Testing

@Suite struct ChunkerTests {
    static let small = ChunkerParameters(minSize: 2 << 10, averageSize: 8 << 10, maxSize: 32 << 10)

    /// Every cut point and block hash over seeded data, pinned in a golden file: a change to the
    /// gear table, the masks or the hash changes block ids and must be deliberate.
    @Test func goldenCutPointsAndDigests() throws {
        var generator = SeededGenerator(seed: 42)
        let data = generator.bytes(1 << 20)
        var lines: [String] = []
        data.withUnsafeBytes { raw in
            var offset = 0
            for length in Chunker(parameters: Self.small).cuts(of: raw) {
                let id = BlockID(hashing: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
                lines.append("\(offset) \(length) \(id.hex)")
                offset += length
            }
        }
        try Golden.check(lines.joined(separator: "\n") + "\n", named: "chunker-small-seed42")
    }

    @Test func standardParametersGolden() throws {
        var generator = SeededGenerator(seed: 7)
        let data = generator.bytes(12 << 20)
        let cuts = data.withUnsafeBytes { Chunker().cuts(of: $0) }
        try Golden.check(cuts.map(String.init).joined(separator: "\n") + "\n", named: "chunker-standard-seed7")
    }

    @Test func blocksRespectBounds() {
        var generator = SeededGenerator(seed: 1)
        let data = generator.bytes(3 << 20)
        let cuts = data.withUnsafeBytes { Chunker(parameters: Self.small).cuts(of: $0) }
        #expect(cuts.reduce(0, +) == data.count)
        for length in cuts.dropLast() {
            #expect(length >= Self.small.minSize && length <= Self.small.maxSize)
        }
        let average = data.count / cuts.count
        #expect(average > Self.small.minSize && average < Self.small.maxSize)
    }

    @Test func zerosCutAtMax() {
        let data = [UInt8](repeating: 0, count: 100 << 10)
        let cuts = data.withUnsafeBytes { Chunker(parameters: Self.small).cuts(of: $0) }
        #expect(cuts == [32 << 10, 32 << 10, 32 << 10, 4 << 10])
    }

    /// The bound: 10 bytes inserted in the middle of 64 MiB change at most 2 blocks.
    @Test func insertInMiddleChangesAtMostTwoBlocks() {
        var generator = SeededGenerator(seed: 99)
        let original = generator.bytes(64 << 20)
        var edited = original
        edited.insert(contentsOf: Array("0123456789".utf8), at: 32 << 20)
        let before = Set(blockIDs(original))
        let after = blockIDs(edited)
        let new = after.filter { !before.contains($0) }
        #expect(new.count <= 2)
        #expect(new.count >= 1)
    }

    @Test func invalidParametersAreDescribed() {
        #expect(ChunkerParameters(minSize: 10, averageSize: 64, maxSize: 128).validate() != nil)
        #expect(ChunkerParameters(minSize: 1024, averageSize: 3000, maxSize: 8192).validate() != nil)
        #expect(ChunkerParameters(minSize: 8192, averageSize: 4096, maxSize: 8192).validate() != nil)
        #expect(ChunkerParameters.standard.validate() == nil)
    }

    func blockIDs(_ data: [UInt8]) -> [BlockID] {
        data.withUnsafeBytes { raw in
            var offset = 0
            return Chunker().cuts(of: raw).map { length in
                defer { offset += length }
                return BlockID(hashing: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
            }
        }
    }
}

/// Golden files beside the tests; `RECORD_SNAPSHOTS=1` re-records them.
enum Golden {
    static func check(_ text: String, named name: String, file: String = #filePath) throws {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("__Snapshots__").appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "golden \(name) differs; re-record with RECORD_SNAPSHOTS=1 if intended")
    }
}

/// A file streamed through `ChunkStream` (two buffers, the next filled and cut on another thread
/// while the caller works on the current one) is cut exactly where the whole file in memory is:
/// dedup depends on it.
@Suite struct ChunkStreamTests {
    let parameters = ChunkerParameters(minSize: 2048, averageSize: 8192, maxSize: 32768)

    /// The block lengths the stream gives, and their bytes.
    func streamed(_ data: Data, bufferSize: Int) throws -> (cuts: [Int], bytes: Data) {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("file").path
        try data.write(to: URL(fileURLWithPath: path))
        let stream = ChunkStream(file: try PosixFile(path: path, flags: O_RDONLY), chunker: Chunker(parameters: parameters),
                                 bufferSize: bufferSize)
        var cuts: [Int] = [], bytes = Data()
        try stream.forEachBatch { buffer, ranges in
            for range in ranges {
                cuts.append(range.count)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[range]))
            }
        }
        return (cuts, bytes)
    }

    @Test(arguments: [0, 1, 2047, 70_000, 3_000_000])
    func cutsMatchTheWholeFileInMemory(size: Int) throws {
        var generator = SeededGenerator(seed: UInt64(size) + 7)
        let data = Data(generator.bytes(size))
        let expected = data.withUnsafeBytes { Chunker(parameters: parameters).cuts(of: $0) }
        // Buffers of two largest blocks (the least allowed) and of several hundred blocks.
        for bufferSize in [0, 4 << 20] {
            let (cuts, bytes) = try streamed(data, bufferSize: bufferSize)
            #expect(cuts == expected, "buffer \(bufferSize)")
            #expect(bytes == data, "buffer \(bufferSize)")
        }
    }

    @Test func aFailureOfTheCallerStopsTheStream() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("file").path
        var generator = SeededGenerator(seed: 3)
        try Data(generator.bytes(1_000_000)).write(to: URL(fileURLWithPath: path))
        let stream = ChunkStream(file: try PosixFile(path: path, flags: O_RDONLY), chunker: Chunker(parameters: parameters),
                                 bufferSize: 0)
        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) {
            try stream.forEachBatch { _, _ in
                calls += 1
                if calls == 2 { throw Stop() }
            }
        }
        #expect(calls == 2)
    }
}
