#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import Testing

/// `DirectFileWriter` writes exactly the bytes appended, whatever their sizes, past the page
/// cache on a file system that allows it and through it otherwise.
@Suite struct DirectFileWriterTests {
    /// Sizes around the 4 KiB pages and the buffer (16 KiB here), appended in uneven pieces.
    static let sizes = [0, 1, 4095, 4096, 4097, 16 << 10, (16 << 10) + 1, 3 * (16 << 10) + 4096, 200_003]

    @Test(arguments: sizes)
    func writesEveryByteAppended(size: Int) throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("out").path
        var generator = SeededGenerator(seed: UInt64(size))
        let content = Data(generator.bytes(size))
        let writer = DirectFileWriter(file: try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL), capacity: 16 << 10)
        // The tests' temporary folder is on this machine's ext4, which allows O_DIRECT.
        #expect(writer.isDirect)
        var offset = 0
        var piece = 1
        while offset < size {
            let end = min(size, offset + piece)
            try writer.append(content[offset..<end])
            offset = end
            piece = piece * 3 + 517 // 1, 520, 2077, 6748, … bytes: across every boundary
        }
        try writer.finish()
        try writer.file.sync()
        #expect(FileManager.default.contents(atPath: path) == content)
    }

    /// A pack is read while it grows: after each `writeOut` a reader sees every byte appended so
    /// far, and later direct writes over the partial page written out keep those bytes.
    @Test func writeOutShowsEveryByteSoFarToAReader() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("out").path
        var generator = SeededGenerator(seed: 11)
        let content = Data(generator.bytes(300_000))
        let writer = DirectFileWriter(file: try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL), capacity: 16 << 10)
        #expect(writer.isDirect)
        var offset = 0
        var piece = 3
        while offset < content.count {
            let end = min(content.count, offset + piece)
            try writer.append(content[offset..<end])
            offset = end
            piece = (piece * 7 + 1001) % 40_000
            if piece % 3 != 0 {
                try writer.writeOut()
                #expect(!writer.hasUnwritten)
                #expect(FileManager.default.contents(atPath: path) == content.prefix(offset), "after \(offset) bytes")
            }
        }
        try writer.finish()
        #expect(FileManager.default.contents(atPath: path) == content)
        // After finish, appends go through the page cache.
        #expect(!writer.isDirect)
        try writer.append(Data("tail".utf8))
        #expect(FileManager.default.contents(atPath: path) == content + Data("tail".utf8))
    }

    /// Where the file system refuses O_DIRECT, the same bytes go through the page cache.
    @Test func writesThroughThePageCacheWhenDirectIsOff() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("out").path
        var generator = SeededGenerator(seed: 7)
        let content = Data(generator.bytes(50_001))
        let writer = DirectFileWriter(file: try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL), capacity: 16 << 10, direct: false)
        #expect(!writer.isDirect)
        for start in stride(from: 0, to: content.count, by: 7000) {
            try writer.append(content[start..<min(start + 7000, content.count)])
        }
        try writer.finish()
        #expect(FileManager.default.contents(atPath: path) == content)
    }
}
