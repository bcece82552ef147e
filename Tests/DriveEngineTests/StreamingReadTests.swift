import Blocks
import DriveEngine
import Foundation
import Testing

/// `cat` streams (issue 10, "memory bounded by design"): the engine hands a file over one
/// verified block at a time, in order, never the whole file at once.
@Suite struct StreamingReadTests {
    /// A file of many blocks arrives whole and in order, in pieces no larger than the store's
    /// maximum block size, one piece per stored block.
    @Test func aLargeFileArrivesOneBlockAtATime() throws {
        let scratch = try Scratch()
        let maxBlock = Scratch.smallChunks.maxSize
        let data = randomBytes(40 * maxBlock + 123, seed: 41)
        try scratch.session.put(local: try scratch.write("big.bin", data), to: "/big.bin")
        let blockCount = try #require(try scratch.session.log("/big.bin").first).version.blockCount

        var pieces: [Int] = []
        var received = Data()
        let streamed = try scratch.session.stream("/big.bin") { piece in
            pieces.append(piece.count)
            received.append(piece)
        }
        #expect(received == data)
        #expect(streamed == Int64(data.count))
        #expect(pieces.count == blockCount)
        #expect(pieces.count >= 40)
        #expect(pieces.allSatisfy { $0 > 0 && $0 <= maxBlock }, "a piece larger than one block: \(pieces.max() ?? 0)")
    }

    /// The block list itself is read a page (1024 entries) at a time: a file of more blocks than
    /// that arrives whole and in order across the pages.
    @Test func aFileOfMoreBlocksThanAPageOfItsList() throws {
        let scratch = try Scratch()
        let data = randomBytes(12 << 20, seed: 45)
        try scratch.session.put(local: try scratch.write("many.bin", data), to: "/many.bin")
        let blockCount = try #require(try scratch.session.log("/many.bin").first).version.blockCount
        #expect(blockCount > 1024)
        var pieces = 0
        var received = Data()
        try scratch.session.stream("/many.bin") { piece in
            pieces += 1
            received.append(piece)
        }
        #expect(pieces == blockCount)
        #expect(received == data)
    }

    /// An older version streams too, and an empty file calls the sink never.
    @Test func versionsAndEmptyFiles() throws {
        let scratch = try Scratch()
        let old = randomBytes(100_000, seed: 42)
        try scratch.session.put(local: try scratch.write("v.bin", old), to: "/v.bin")
        try scratch.session.put(local: try scratch.write("v.bin", Data()), to: "/v.bin")
        var received = Data()
        try scratch.session.stream("/v.bin", version: 1) { received.append($0) }
        #expect(received == old)
        var calls = 0
        #expect(try scratch.session.stream("/v.bin") { _ in calls += 1 } == 0)
        #expect(calls == 0)
        expectDriveError(.invalidArgument) { try scratch.session.stream("/") { _ in } }
        expectDriveError(.notFound) { try scratch.session.stream("/v.bin", version: 9) { _ in } }
    }

    /// A damaged block stops the stream there: the blocks before it were handed over, verified,
    /// and nothing of the damaged one is.
    @Test func aDamagedBlockStopsTheStreamAtThatBlock() throws {
        let scratch = try Scratch()
        let data = randomBytes(200_000, seed: 43)
        try scratch.session.put(local: try scratch.write("d.bin", data), to: "/d.bin")
        let third = try scratch.storedBlock(2, of: "/d.bin")
        try scratch.flipByte(at: third.offset + third.length - 1, in: third.pack)

        var pieces: [Data] = []
        let error = expectDriveError(.corrupted) { try scratch.session.stream("/d.bin") { pieces.append($0) } }
        #expect(error?.reason.contains(third.hex) == true, "\(String(describing: error))")
        #expect(pieces.count == 2)
        #expect(pieces.reduce(Data(), +) == data.prefix(pieces.reduce(0) { $0 + $1.count }))
    }

    /// An error the sink throws (stdout closed, say) stops the stream and comes back as a
    /// `DriveError` naming the path.
    @Test func aFailingSinkStopsTheStream() throws {
        struct Closed: Error {}
        let scratch = try Scratch()
        try scratch.session.put(local: try scratch.write("s.bin", randomBytes(200_000, seed: 44)), to: "/s.bin")
        var calls = 0
        let error = expectDriveError(.io) {
            try scratch.session.stream("/s.bin") { _ in
                calls += 1
                throw Closed()
            }
        }
        #expect(calls == 1)
        #expect(error?.subject == "/s.bin")
    }
}
