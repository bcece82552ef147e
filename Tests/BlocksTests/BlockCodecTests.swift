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

extension BlockCodec {
    func decode(_ stored: Data) throws -> Data { try BlockCodec.decode(stored, maxRawLength: 1 << 20) }
}
