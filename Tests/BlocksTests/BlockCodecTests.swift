import Blocks
import Foundation
import Testing

@Suite struct BlockCodecTests {
    @Test func textIsCompressedAndRoundTrips() throws {
        let text = Data(String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 2000).utf8)
        let stored = BlockCodec().encode(text)
        #expect(stored.count < text.count / 4)
        #expect(stored[3] == BlockCodecKind.deflate.rawValue)
        #expect(try BlockCodec.decode(stored, maxRawLength: 1 << 20) == text)
    }

    @Test func randomBytesAreStoredRaw() throws {
        var generator = SeededGenerator(seed: 3)
        let random = Data(generator.bytes(100_000))
        let stored = BlockCodec().encode(random)
        #expect(stored[3] == BlockCodecKind.raw.rawValue)
        #expect(stored.count == random.count + BlockCodec.headerSize)
        #expect(try BlockCodec.decode(stored, maxRawLength: 1 << 20) == random)
    }

    @Test(arguments: [0, 1, 63, 64, 65, 4096])
    func tinyBlocksRoundTrip(size: Int) throws {
        let data = Data(repeating: 0x61, count: size)
        #expect(try BlockCodec().decode(BlockCodec().encode(data)) == data)
    }

    /// Blocks written by either library read back with the other: stores written before
    /// libdeflate was used (or on a machine without it) stay readable, and the other way round.
    @Test(arguments: [1, 6, 9])
    func zlibAndLibdeflateReadEachOthersBlocks(level: Int) throws {
        var text = TextLines(seed: UInt64(level))
        let raw = text.data(count: 300_000)
        let libraries: [DeflateLibrary] = DeflateLibrary.isLibdeflateLoaded ? [.zlib, .libdeflate] : [.zlib]
        for writer in libraries {
            let stored = BlockCodec(level: level, library: writer).encode(raw)
            #expect(stored[3] == BlockCodecKind.deflate.rawValue)
            for reader in libraries {
                #expect(try BlockCodec.decode(stored, maxRawLength: 1 << 20, library: reader) == raw, "written by \(writer), read by \(reader)")
            }
            var damaged = stored
            damaged[stored.count / 2] ^= 0x5A
            for reader in libraries {
                #expect((try? BlockCodec.decode(damaged, maxRawLength: 1 << 20, library: reader)) != raw)
            }
        }
    }

    /// zstd blocks round-trip at its levels, sit beside deflate blocks in one store (each block
    /// says its codec), and damage is caught. The CI machine has libzstd.so.1 (apt needs it);
    /// `CairnStoreCompressionTests` covers a process where it does not load.
    @Test(arguments: [1, 3, 19])
    func zstdBlocksRoundTripBesideDeflateBlocks(level: Int) throws {
        try #require(ZstdLibrary.isLoaded, "libzstd.so.1 should load on this machine")
        var text = TextLines(seed: UInt64(level) + 100)
        let raw = text.data(count: 300_000)
        let zstd = BlockCodec(compression: .zstd, level: level).encode(raw)
        let deflate = BlockCodec(compression: .deflate, level: 1).encode(raw)
        #expect(zstd[3] == BlockCodecKind.zstd.rawValue)
        #expect(deflate[3] == BlockCodecKind.deflate.rawValue)
        #expect(zstd.count < raw.count / 3)
        #expect(try BlockCodec.decode(zstd, maxRawLength: 1 << 20) == raw)
        #expect(try BlockCodec.decode(deflate, maxRawLength: 1 << 20) == raw)
        var damaged = zstd
        damaged[zstd.count / 2] ^= 0x5A
        #expect((try? BlockCodec.decode(damaged, maxRawLength: 1 << 20)) != raw)
        // A frame that decompresses to another length than the header's is damage.
        var wrongLength = zstd
        wrongLength[4] ^= 0x01
        #expect(throws: BlockError.self) { _ = try BlockCodec.decode(wrongLength, maxRawLength: 1 << 20) }
    }

    @Test func zstdStoresIncompressibleAndTinyBlocksRaw() throws {
        try #require(ZstdLibrary.isLoaded, "libzstd.so.1 should load on this machine")
        var generator = SeededGenerator(seed: 9)
        let random = Data(generator.bytes(100_000))
        let codec = BlockCodec(compression: .zstd, level: 1)
        #expect(codec.encode(random)[3] == BlockCodecKind.raw.rawValue)
        #expect(codec.encode(Data(repeating: 0x61, count: 63))[3] == BlockCodecKind.raw.rawValue)
        #expect(BlockCodec(compression: .zstd, level: 0).encode(Data(repeating: 0x61, count: 10_000))[3] == BlockCodecKind.raw.rawValue)
        for size in [0, 1, 64, 65, 4096] {
            let data = Data(repeating: 0x62, count: size)
            #expect(try codec.decode(codec.encode(data)) == data)
        }
    }

    @Test func levelZeroStoresRaw() {
        let text = Data(repeating: 0x61, count: 10_000)
        #expect(BlockCodec(level: 0).encode(text)[3] == BlockCodecKind.raw.rawValue)
    }

    @Test func damagedPayloadIsReportedAsCorrupted() {
        let text = Data(String(repeating: "abcdefgh", count: 1000).utf8)
        var stored = BlockCodec().encode(text)
        stored[stored.count - 3] ^= 0xFF
        stored[BlockCodec.headerSize + 1] ^= 0xFF
        #expect(throws: BlockError.self) { _ = try BlockCodec.decode(stored, maxRawLength: 1 << 20) }
        #expect(throws: BlockError.self) { _ = try BlockCodec.decode(Data([1, 2, 3]), maxRawLength: 1 << 20) }
    }

    /// A block larger than the store's maximum block size is damage, even when it would inflate.
    @Test func blockLongerThanTheStoreMaximumIsCorrupted() throws {
        let text = Data(String(repeating: "abcdefgh", count: 32 << 10).utf8)
        let stored = BlockCodec().encode(text)
        #expect(try BlockCodec.decode(stored, maxRawLength: text.count) == text)
        #expect(throws: BlockError.corrupted("stored block claims \(text.count) bytes, more than the store's maximum block size of \(text.count - 1)")) {
            _ = try BlockCodec.decode(stored, maxRawLength: text.count - 1)
        }
    }

    /// A damaged length field claiming 4 GiB is refused from the header, before any allocation.
    @Test(arguments: [BlockCodecKind.deflate, .raw])
    func headerClaimingFourGiBIsRefusedBeforeAllocating(codec: BlockCodecKind) {
        let stored = Data([0x43, 0x42, 1, codec.rawValue, 0xFF, 0xFF, 0xFF, 0xFF]) + Data(repeating: 0x03, count: 64)
        #expect(throws: BlockError.corrupted("stored block claims 4294967295 bytes, more than the store's maximum block size of 4194304")) {
            _ = try BlockCodec.decode(stored, maxRawLength: 4 << 20)
        }
    }
}

/// Compressible lines of words in a seeded order (not one repeated phrase: that would not
/// exercise the matchers the way real text does).
struct TextLines {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func data(count: Int) -> Data {
        let words = ["block", "store", "pack", "version", "folder", "share", "device", "journal", "inbox", "conflict",
                     "the", "a", "of", "to", "and", "is", "was", "not", "with", "from"]
        var out = Data()
        while out.count < count {
            let line = (0..<(4 + Int(generator.next() % 8))).map { _ in words[Int(generator.next() % UInt64(words.count))] }
            out.append(contentsOf: (line.joined(separator: " ") + " \(generator.next() % 1000)\n").utf8)
        }
        return out.prefix(count)
    }
}

extension BlockCodec {
    func decode(_ stored: Data) throws -> Data { try BlockCodec.decode(stored, maxRawLength: 1 << 20) }
}
