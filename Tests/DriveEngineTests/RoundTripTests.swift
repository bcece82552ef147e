import Blocks
import DriveEngine
import Foundation
import Testing

/// put then get gives the same bytes back, for the sizes and names the issue lists.
@Suite struct RoundTripTests {
    /// Puts `data` as `drivePath`, gets it back to a new local file and returns those bytes.
    func roundTrip(_ scratch: Scratch, _ data: Data, as drivePath: String) throws -> Data {
        let name = (drivePath as NSString).lastPathComponent
        let source = try scratch.write("in/\(name)", data)
        let report = try scratch.session.put(local: source, to: drivePath)
        #expect(report.filesStored == 1)
        #expect(report.bytesRead == Int64(data.count))
        let target = scratch.path("out/\(name)")
        try FileManager.default.createDirectory(atPath: scratch.path("out"), withIntermediateDirectories: true)
        let got = try scratch.session.get(drivePath, to: target)
        #expect(got.files == 1)
        #expect(got.bytesWritten == Int64(data.count))
        return try scratch.read(target)
    }

    /// How many blocks the store's chunker cuts `data` into.
    func blockCount(_ data: Data, _ parameters: ChunkerParameters) -> Int {
        data.withUnsafeBytes { Chunker(parameters: parameters).cuts(of: $0).count }
    }

    @Test func emptyFile() throws {
        let scratch = try Scratch()
        #expect(try roundTrip(scratch, Data(), as: "/empty") == Data())
        let item = try scratch.session.item(at: "/empty")
        #expect(!item.isFolder)
        #expect(item.size == 0)
        let log = try scratch.session.log("/empty")
        #expect(log.count == 1)
        #expect(log.first?.version.blockCount == 0)
        #expect(try scratch.session.contents("/empty") == Data())
    }

    @Test func oneByte() throws {
        let scratch = try Scratch()
        #expect(try roundTrip(scratch, Data([0xA7]), as: "/one") == Data([0xA7]))
        #expect(try scratch.session.log("/one").first?.version.blockCount == 1)
        #expect(try scratch.session.stats().blocks == 1)
    }

    /// Exactly min, average and max block sizes, one byte over max (the streaming path) and a few
    /// blocks' worth, with the small chunker used elsewhere and with the standard one.
    @Test(arguments: [Scratch.smallChunks, ChunkerParameters.standard])
    func exactBlockSizes(_ parameters: ChunkerParameters) throws {
        let scratch = try Scratch(chunker: parameters)
        let sizes = [parameters.minSize, parameters.averageSize, parameters.maxSize, parameters.maxSize + 1,
                     parameters.maxSize * 3 + parameters.minSize / 2]
        for (index, size) in sizes.enumerated() {
            let data = randomBytes(size, seed: UInt64(100 + index))
            let path = "/sizes/\(size).bin"
            let back = try roundTrip(scratch, data, as: path)
            #expect(back.count == size)
            #expect(back == data, "size \(size)")
            let version = try #require(try scratch.session.log(path).first?.version)
            #expect(version.size == Int64(size))
            #expect(version.blockCount == blockCount(data, parameters), "size \(size)")
        }
        #expect(try scratch.session.log("/sizes/\(parameters.minSize).bin").first?.version.blockCount == 1)
        #expect(try scratch.drive.verify().isHealthy)
    }

    /// Korean, emoji and space-containing names, an empty file and folder, and 30 nested levels.
    @Test func folderTreeWithUnicodeNamesAndDeepNesting() throws {
        let scratch = try Scratch()
        let deep = (1...30).map { String(format: "d%02d", $0) }.joined(separator: "/")
        let files: [(String, Data)] = [
            ("tree/한글 폴더/문서 1.txt", textBytes(5000, seed: 1)),
            ("tree/한글 폴더/사진.bin", randomBytes(70_000, seed: 2)),
            ("tree/😀 emoji/🎉 party 🎈.bin", randomBytes(9000, seed: 3)),
            ("tree/with space/a b  c.txt", textBytes(300, seed: 4)),
            ("tree/plain.txt", Data("plain\n".utf8)),
            ("tree/empty.txt", Data()),
            ("tree/\(deep)/바닥 🪨 bottom.txt", textBytes(40_000, seed: 5)),
        ]
        for (path, data) in files { try scratch.write(path, data) }
        try scratch.makeFolder("tree/empty folder")
        let report = try scratch.session.put(local: scratch.path("tree"))
        #expect(report.destination.description == "/tree")
        #expect(report.filesStored == files.count)
        #expect(report.filesSkipped == 0)
        #expect(report.foldersCreated == 1 + 4 + 30) // tree; 한글, 😀, space, empty; d01…d30

        let names = try scratch.session.list("/tree").map(\.path.name)
        // Folders first, then files; each by name in byte order.
        #expect(names == ["d01", "empty folder", "with space", "한글 폴더", "😀 emoji", "empty.txt", "plain.txt"])
        let bottom = "/tree/\(deep)/바닥 🪨 bottom.txt"
        #expect(try scratch.session.item(at: bottom).size == 40_000)
        #expect(try scratch.session.contents(bottom) == files[6].1)

        let out = scratch.path("copy")
        let got = try scratch.session.get("/tree", to: out)
        #expect(got.files == files.count)
        #expect(try localTree(out) == localTree(scratch.path("tree")))
        #expect(try scratch.read(out + "/\(deep)/바닥 🪨 bottom.txt") == files[6].1)
    }

    /// Identical files anywhere are stored once: the second and third copies add no block.
    @Test func identicalFilesAreStoredOnce() throws {
        let scratch = try Scratch()
        let shared = randomBytes(100_000, seed: 11)
        let unique = randomBytes(50_000, seed: 12)
        try scratch.write("dup/a/shared.bin", shared)
        try scratch.write("dup/b/shared copy.bin", shared)
        try scratch.write("dup/unique.bin", unique)
        let sharedBlocks = blockCount(shared, Scratch.smallChunks)
        let uniqueBlocks = blockCount(unique, Scratch.smallChunks)

        let report = try scratch.session.put(local: scratch.path("dup"))
        #expect(report.filesStored == 3)
        #expect(report.newBlocks == sharedBlocks + uniqueBlocks)
        #expect(report.sharedBlocks == sharedBlocks)
        var stats = try scratch.session.stats()
        #expect(stats.blocks == sharedBlocks + uniqueBlocks)
        #expect(stats.logicalBytes == 250_000)
        #expect(stats.uniqueBytes == 150_000)
        #expect(stats.dedupRatio > 1.6)

        // A third copy, in a later put: nothing new is stored, and its log says so.
        let third = try scratch.write("third.bin", shared)
        let again = try scratch.session.put(local: third, to: "/elsewhere/third.bin")
        #expect(again.newBlocks == 0)
        #expect(again.sharedBlocks == sharedBlocks)
        let version = try #require(try scratch.session.log("/elsewhere/third.bin").first?.version)
        #expect(version.newBlocks == 0)
        #expect(version.sharedBlocks == sharedBlocks)
        stats = try scratch.session.stats()
        #expect(stats.blocks == sharedBlocks + uniqueBlocks)
        #expect(stats.uniqueBytes == 150_000)
        #expect(try scratch.session.contents("/dup/b/shared copy.bin") == shared)
    }

    /// Text is compressed; what is stored is smaller than what was put.
    @Test func textIsCompressed() throws {
        let scratch = try Scratch()
        let text = textBytes(200_000, seed: 21)
        #expect(try roundTrip(scratch, text, as: "/notes.txt") == text)
        let stats = try scratch.session.stats()
        #expect(stats.uniqueBytes == 200_000)
        #expect(stats.storedBytes < 200_000 / 2)
        #expect(stats.compressionRatio > 2)
    }
}
